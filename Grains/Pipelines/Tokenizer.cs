using System.Collections.Immutable;
using Cluster.Modeling;
using Cluster.Models;
using Cluster.Onnx;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>
/// The <c>tokenize</c> template: ONNX Runtime Extensions' BertTokenizer (basic split, then WordPiece
/// over the step's vocabulary, which the pipeline carries inline, so no vocabulary file is shipped).
/// The operator tokenizes one text into 1-D tensors, so the step runs it per row and pads or cuts
/// each row to the step's length, as a BERT model's fixed [rows, length] inputs need.
/// </summary>
internal static class Tokenizer
{
    /// <summary>Tokens BertTokenizer requires in every vocabulary.</summary>
    public static readonly string[] Special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];

    /// <summary>Token ids, INT64 [rows, max_length].</summary>
    public const string Ids = "input_ids";

    /// <summary>Segment ids (all 0 for one text), INT64 [rows, max_length].</summary>
    public const string TokenTypes = "token_type_ids";

    /// <summary>1 for a token, 0 for padding, INT64 [rows, max_length].</summary>
    public const string Mask = "attention_mask";

    public static byte[] Graph(TemplateStep step) => new OnnxGraphBuilder($"template_{step.Template}")
        .Input(StepTemplates.Input, TensorDataType.Bytes, -1)
        .Output(Ids, TensorDataType.Int64, -1)
        .Output(TokenTypes, TensorDataType.Int64, -1)
        .Output(Mask, TensorDataType.Int64, -1)
        .CustomNode(OrtExtensions.Domain, "BertTokenizer", [StepTemplates.Input], [Ids, TokenTypes, Mask],
            ("vocab_file", string.Join('\n', step.Vocab)), ("do_lower_case", step.LowerCase ? 1L : 0L))
        .ToBytes();

    public static ImmutableArray<TensorSpec> Outputs(TemplateStep step, TensorSpec input, string where)
    {
        if (input.DataType != TensorDataType.Bytes || !(input.Shape.Length == 1 || (input.Shape.Length == 2 && input.Shape[1] is 1 or -1)))
        {
            throw PipelineValidator.Invalid($"{where}: 'tokenize' reads BYTES shaped [rows] (one text per row), not {input.DataType.ProtocolName()} {ShapeMath.Format(input.Shape.AsSpan())}");
        }
        return [.. new[] { Ids, TokenTypes, Mask }.Select(n => new TensorSpec(n, TensorDataType.Int64, [input.Shape[0], step.MaxLength]))];
    }

    public static ImmutableArray<TensorData> Run(TemplateStep step, OnnxModelSession session, TensorData input)
    {
        var texts = input.ToByteStrings();
        var length = step.MaxLength;
        var pad = step.Vocab.IndexOf("[PAD]");
        var sep = step.Vocab.IndexOf("[SEP]");
        var (ids, types, mask) = (new long[texts.Length * length], new long[texts.Length * length], new long[texts.Length * length]);
        Array.Fill(ids, pad);
        for (var row = 0; row < texts.Length; row++)
        {
            var outputs = session.RunTimed([TensorData.FromByteStrings(StepTemplates.Input, [texts[row]], 1)], []).Outputs;
            var tokens = outputs[0].ToArray<long>();
            var segments = outputs[1].ToArray<long>();
            var count = Math.Min(tokens.Length, length);
            tokens.AsSpan(0, count).CopyTo(ids.AsSpan(row * length));
            segments.AsSpan(0, count).CopyTo(types.AsSpan(row * length));
            mask.AsSpan(row * length, count).Fill(1);
            // A cut text still ends as BERT was trained on: with [SEP].
            if (tokens.Length > length) ids[row * length + length - 1] = sep;
        }
        return [TensorData.From<long>(Ids, ids, texts.Length, length), TensorData.From<long>(TokenTypes, types, texts.Length, length), TensorData.From<long>(Mask, mask, texts.Length, length)];
    }
}
