using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;

namespace Cluster.Onnx;

/// <summary>
/// ONNX Runtime Extensions' custom operators, a native library from the
/// Microsoft.ML.OnnxRuntime.Extensions package. It is registered only on sessions whose model
/// imports one of its domains: every other session keeps ONNX Runtime's own operator set and pays
/// nothing for a library it does not use.
/// </summary>
public static class OrtExtensions
{
    /// <summary>The domain of the extensions' older operators: string operators, tokenizers.</summary>
    public const string Domain = "ai.onnx.contrib";

    /// <summary>The domain of the extensions' newer operators: DecodeImage and EncodeImage live here in 0.14, not in <see cref="Domain"/>.</summary>
    public const string ExtensionsDomain = "com.microsoft.extensions";

    // ModelProto field 8: repeated OperatorSetIdProto opset_import; OperatorSetIdProto field 1: string domain.
    private const int OpsetImportField = 8;
    private const int OpsetDomainField = 1;

    /// <summary>True when the serialized model at <paramref name="path"/> imports <see cref="Domain"/> or <see cref="ExtensionsDomain"/>.</summary>
    public static bool IsUsedBy(string path)
    {
        using var file = File.OpenRead(path);
        return IsUsedBy(new CodedInputStream(file));
    }

    /// <summary>True when the serialized model <paramref name="model"/> imports <see cref="Domain"/> or <see cref="ExtensionsDomain"/>.</summary>
    public static bool IsUsedBy(byte[] model) => IsUsedBy(new CodedInputStream(model));

    /// <summary>Registers the custom operators on <paramref name="options"/> (before the session is made).</summary>
    /// <exception cref="OnnxRuntimeException">The native library is not beside the application.</exception>
    public static void Register(SessionOptions options) => options.RegisterOrtExtensions();

    // Reads only the model's top-level fields and skips the graph, so a large model is not parsed to find its imports.
    // A file that is not a model says no: ONNX Runtime then refuses it with its own reason, which is what the user sees.
    private static bool IsUsedBy(CodedInputStream input)
    {
        try
        {
            return ImportsExtensions(input);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool ImportsExtensions(CodedInputStream input)
    {
        using (input)
        {
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) != OpsetImportField || WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
                {
                    input.SkipLastField();
                    continue;
                }
                if (ReadDomain(input.ReadBytes()) is Domain or ExtensionsDomain) return true;
            }
            return false;
        }
    }

    private static string ReadDomain(ByteString opset)
    {
        var input = opset.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == OpsetDomainField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) return input.ReadString();
            input.SkipLastField();
        }
        return "";
    }
}
