using System.Collections.Immutable;

namespace Cluster.Pipelines;

/// <summary>A parsed <c>pipeline.json</c>: named inputs, a graph of steps, and the outputs it returns.</summary>
/// <param name="Inputs">Names of the pipeline's inputs; their datatype and shape come from the model inputs they feed.</param>
/// <param name="Steps">Steps in file order (execution order follows the wiring, not this order).</param>
/// <param name="Outputs">What the pipeline returns: each a name and the tensor it is taken from.</param>
/// <param name="DeclaredInputs">Inputs whose datatype and shape the file states (needed when they feed no model step, e.g. raw pixels to a normalize step).</param>
public sealed record PipelineDefinition(ImmutableArray<string> Inputs, ImmutableArray<PipelineStep> Steps, ImmutableArray<PipelineOutput> Outputs, ImmutableDictionary<string, Models.TensorSpec>? DeclaredInputs = null)
{
    /// <summary>The step with this name, or null.</summary>
    public PipelineStep? FindStep(string name) => Steps.FirstOrDefault(s => s.Name == name);
}

/// <summary>A tensor a step or output reads: a pipeline input (<c>pipeline.x</c>) or a step's output (<c>step.tensor</c>).</summary>
/// <param name="Source">A step name, or <see cref="PipelineSource"/> for the pipeline's inputs.</param>
/// <param name="Tensor">The tensor's name within that source.</param>
public sealed record TensorRef(string Source, string Tensor)
{
    /// <summary>The reserved source name of the pipeline's own inputs.</summary>
    public const string PipelineSource = "pipeline";

    /// <summary>True when this reads one of the pipeline's inputs.</summary>
    public bool IsPipelineInput => Source == PipelineSource;

    /// <inheritdoc />
    public override string ToString() => $"{Source}.{Tensor}";
}

/// <summary>One pipeline output: the name it is returned under and where it comes from.</summary>
public sealed record PipelineOutput(string Name, TensorRef From);

/// <summary>A node of the pipeline graph.</summary>
public abstract record PipelineStep(string Name)
{
    /// <summary>Every tensor the step may read, in the order it reads them.</summary>
    public abstract IEnumerable<TensorRef> Reads { get; }
}

/// <summary>Calls a model of the cluster through its router.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Version">A version number or label; null follows the model's own default and traffic split.</param>
/// <param name="Inputs">Model input name → the tensor that feeds it.</param>
public sealed record ModelStep(string Name, string Model, string? Version, ImmutableDictionary<string, TensorRef> Inputs) : PipelineStep(Name)
{
    /// <inheritdoc />
    public override IEnumerable<TensorRef> Reads => Inputs.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Value);
}

/// <summary>How a combine step merges its inputs.</summary>
public enum CombineMethod
{
    /// <summary>Element-wise mean.</summary>
    Average,

    /// <summary>Element-wise mean weighted by the step's weights.</summary>
    WeightedAverage,

    /// <summary>Per row, the class most inputs rank first (argmax); ties go to the lowest class index.</summary>
    Vote,

    /// <summary>Concatenation along an axis.</summary>
    Concat,
}

/// <summary>Merges tensors of earlier steps (an ensemble): its one output is named <see cref="OutputName"/>.</summary>
/// <param name="Axis">The concatenation axis (negative counts from the end).</param>
public sealed record CombineStep(string Name, CombineMethod Method, ImmutableArray<TensorRef> From, ImmutableArray<double> Weights, int Axis) : PipelineStep(Name)
{
    /// <summary>Name of a combine or switch step's one output.</summary>
    public const string OutputName = "output";

    /// <inheritdoc />
    public override IEnumerable<TensorRef> Reads => From;
}

/// <summary>What a switch step tests about a tensor.</summary>
public enum SwitchTest
{
    /// <summary>Some row's largest value is below the threshold (an uncertain answer).</summary>
    MaxBelow,

    /// <summary>Some row's argmax is the given class.</summary>
    ArgmaxEquals,
}

/// <summary>
/// Picks one of two tensors by a condition over another (a cascade): only the chosen branch's
/// steps run. Its one output is named <see cref="CombineStep.OutputName"/>.
/// </summary>
public sealed record SwitchStep(string Name, TensorRef On, SwitchTest Test, double Value, TensorRef Then, TensorRef Else) : PipelineStep(Name)
{
    /// <inheritdoc />
    public override IEnumerable<TensorRef> Reads => [On, Then, Else];
}

/// <summary>
/// A built-in pre- or post-processing step run as a small ONNX graph inside the pipeline grain
/// (<see cref="StepTemplates"/> builds them; docs/API.md lists what each reads and returns).
/// <c>top_k</c>: TopK over scores [rows, classes], class names by LabelEncoder. <c>normalize</c>:
/// channel reorder, then (x · scale − mean) / std per channel. <c>decode_image</c>: JPEG or PNG bytes
/// to UINT8 pixels [rows, height, width, 3] (ONNX Runtime Extensions' DecodeImage).
/// <c>resize</c>: bilinear to <see cref="Height"/> × <see cref="Width"/>, FP32 channels first.
/// <c>center_crop</c>: the middle <see cref="Height"/> × <see cref="Width"/> of [rows, channels, H, W].
/// <c>tokenize</c>: texts to BERT input ids, token types and attention mask, padded to <see cref="MaxLength"/>
/// (ONNX Runtime Extensions' BertTokenizer over <see cref="Vocab"/>).
/// </summary>
/// <param name="Layout">A resize step's input layout: <c>NHWC</c> (as decoded) or <c>NCHW</c>.</param>
/// <param name="Color">A decode step's channel order: <c>bgr</c> (as OpenCV, and so PaddleOCR) or <c>rgb</c>.</param>
/// <param name="Vocab">A tokenize step's WordPiece vocabulary, token i having id i.</param>
/// <param name="MaxLength">A tokenize step's sequence length: longer texts are cut (keeping the closing [SEP]), shorter ones padded.</param>
/// <param name="LowerCase">Whether a tokenize step lower-cases texts first (uncased BERT models).</param>
public sealed record TemplateStep(string Name, string Template, TensorRef From, int K, ImmutableArray<string> Labels,
    ImmutableArray<double> Mean = default, ImmutableArray<double> Std = default, ImmutableArray<long> Channels = default, double Scale = 1,
    int Height = 0, int Width = 0, string Layout = TemplateStep.ChannelsLast, string Color = TemplateStep.Bgr,
    ImmutableArray<string> Vocab = default, int MaxLength = 0, bool LowerCase = true) : PipelineStep(Name)
{
    /// <summary>Top-k scores with optional class names.</summary>
    public const string TopK = "top_k";

    /// <summary>Channel reorder, scale and per-channel mean and standard deviation.</summary>
    public const string Normalize = "normalize";

    /// <summary>JPEG or PNG bytes to pixels.</summary>
    public const string DecodeImage = "decode_image";

    /// <summary>Bilinear resize to a fixed height and width.</summary>
    public const string Resize = "resize";

    /// <summary>The centred height × width window of an image.</summary>
    public const string CenterCrop = "center_crop";

    /// <summary>Texts to BERT inputs.</summary>
    public const string Tokenize = "tokenize";

    /// <summary>Pixels as [rows, height, width, channels], as images are decoded.</summary>
    public const string ChannelsLast = "NHWC";

    /// <summary>Pixels as [rows, channels, height, width], as networks read them.</summary>
    public const string ChannelsFirst = "NCHW";

    /// <summary>Blue, green, red: OpenCV's order.</summary>
    public const string Bgr = "bgr";

    /// <summary>Red, green, blue.</summary>
    public const string Rgb = "rgb";

    /// <inheritdoc />
    public override IEnumerable<TensorRef> Reads => [From];
}
