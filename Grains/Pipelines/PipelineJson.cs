using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cluster.Models;
using Cluster.Tensors;

namespace Cluster.Pipelines;

/// <summary>
/// Reads <c>pipeline.json</c>. Every mistake is an <see cref="InvalidDataException"/> whose message
/// names the step and field, because it becomes the reason the version is not ready.
/// </summary>
public static class PipelineJson
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip };

    /// <summary>Parses a definition; checks its form only (wiring and types are <see cref="PipelineValidator"/>'s).</summary>
    public static PipelineDefinition Parse(ReadOnlyMemory<byte> utf8)
    {
        // Editors on Windows save UTF-8 with a byte-order mark, which the JSON reader refuses.
        if (utf8.Span.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException ex)
        {
            throw Invalid($"not valid JSON ({ex.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Invalid("the file must hold a JSON object with 'inputs', 'steps' and 'outputs'");
            Known(root, "the file", "inputs", "steps", "outputs");
            var declared = ImmutableDictionary.CreateBuilder<string, TensorSpec>(StringComparer.Ordinal);
            ImmutableArray<string> inputs = [.. Array(root, "inputs", "the file").Select(e => InputName(e, declared))];
            ImmutableArray<PipelineStep> steps = [.. Array(root, "steps", "the file").Select(Step)];
            var outputs = Property(root, "outputs", "the file");
            if (outputs.ValueKind != JsonValueKind.Object) throw Invalid("'outputs' must be an object: output name → \"step.tensor\"");
            ImmutableArray<PipelineOutput> selected = [.. outputs.EnumerateObject().Select(o => new PipelineOutput(o.Name, Ref(o.Value, $"output '{o.Name}'")))];
            if (selected.IsEmpty) throw Invalid("'outputs' is empty; a pipeline returns at least one tensor");
            return new PipelineDefinition(inputs, steps, selected, declared.ToImmutable());
        }
    }

    /// <summary>An input is a name, or <c>{"name", "datatype", "shape"}</c> stating its type.</summary>
    private static string InputName(JsonElement input, ImmutableDictionary<string, TensorSpec>.Builder declared)
    {
        if (input.ValueKind != JsonValueKind.Object) return Text(input, "an entry of 'inputs'");
        Known(input, "an entry of 'inputs'", "name", "datatype", "shape");
        var name = Text(Property(input, "name", "an entry of 'inputs'"), "an input's 'name'");
        var where = $"input '{name}'";
        var typeName = Text(Property(input, "datatype", where), $"{where} 'datatype'");
        if (!TensorDataTypes.TryParse(typeName, out var type)) throw Invalid($"{where}: unknown datatype '{typeName}'");
        ImmutableArray<long> shape = [.. Array(input, "shape", where).Select(d => (long)Number(d, $"{where} 'shape'"))];
        if (shape.Any(d => d < -1)) throw Invalid($"{where}: dimensions are ≥ 0, or -1 for any size");
        declared[name] = new TensorSpec(name, type, shape);
        return name;
    }

    private static PipelineStep Step(JsonElement step, int index)
    {
        if (step.ValueKind != JsonValueKind.Object) throw Invalid($"step {index + 1} is not an object");
        var name = Text(Property(step, "name", $"step {index + 1}"), $"the name of step {index + 1}");
        var where = $"step '{name}'";
        if (step.TryGetProperty("model", out var model))
        {
            Known(step, where, "name", "model", "version", "inputs");
            var version = step.TryGetProperty("version", out var v) ? VersionText(v, where) : null;
            var mapping = Property(step, "inputs", where);
            if (mapping.ValueKind != JsonValueKind.Object) throw Invalid($"{where}: 'inputs' must be an object: model input name → \"source.tensor\"");
            var inputs = mapping.EnumerateObject().ToImmutableDictionary(i => i.Name, i => Ref(i.Value, $"{where} input '{i.Name}'"), StringComparer.Ordinal);
            return new ModelStep(name, Text(model, $"{where} 'model'"), version, inputs);
        }
        if (step.TryGetProperty("combine", out var combine))
        {
            Known(step, where, "name", "combine", "from", "weights", "axis");
            var method = Text(combine, $"{where} 'combine'") switch
            {
                "average" => CombineMethod.Average,
                "weighted_average" => CombineMethod.WeightedAverage,
                "vote" => CombineMethod.Vote,
                "concat" => CombineMethod.Concat,
                var other => throw Invalid($"{where}: unknown combine '{other}' (average, weighted_average, vote, concat)"),
            };
            ImmutableArray<TensorRef> from = [.. Array(step, "from", where).Select((e, i) => Ref(e, $"{where} 'from' entry {i + 1}"))];
            ImmutableArray<double> weights = step.TryGetProperty("weights", out _) ? [.. Array(step, "weights", where).Select(w => Number(w, $"{where} 'weights'"))] : [];
            var axis = step.TryGetProperty("axis", out var a) ? (int)Number(a, $"{where} 'axis'") : -1;
            return new CombineStep(name, method, from, weights, axis);
        }
        if (step.TryGetProperty("switch", out var condition))
        {
            Known(step, where, "name", "switch", "then", "else");
            if (condition.ValueKind != JsonValueKind.Object) throw Invalid($"{where}: 'switch' must be an object such as {{\"on\": \"small.probabilities\", \"max_below\": 0.8}}");
            Known(condition, $"{where} 'switch'", "on", "max_below", "argmax_equals");
            var on = Ref(Property(condition, "on", $"{where} 'switch'"), $"{where} 'switch.on'");
            var (test, value) = condition.TryGetProperty("max_below", out var below) ? (SwitchTest.MaxBelow, Number(below, $"{where} 'max_below'"))
                : condition.TryGetProperty("argmax_equals", out var equals) ? (SwitchTest.ArgmaxEquals, Number(equals, $"{where} 'argmax_equals'"))
                : throw Invalid($"{where}: 'switch' needs a test, 'max_below' or 'argmax_equals'");
            return new SwitchStep(name, on, test, value, Ref(Property(step, "then", where), $"{where} 'then'"), Ref(Property(step, "else", where), $"{where} 'else'"));
        }
        if (step.TryGetProperty("template", out var template))
        {
            var kind = Text(template, $"{where} 'template'");
            if (kind == TemplateStep.Normalize) return Normalize(step, name, where);
            if (kind is TemplateStep.DecodeImage or TemplateStep.Resize or TemplateStep.CenterCrop) return Image(step, name, kind, where);
            if (kind == TemplateStep.Tokenize) return Tokenize(step, name, where);
            if (kind != TemplateStep.TopK) throw Invalid($"{where}: unknown template '{kind}' (top_k, normalize, decode_image, resize, center_crop, tokenize)");
            Known(step, where, "name", "template", "from", "k", "labels");
            var k = step.TryGetProperty("k", out var kValue) ? Number(kValue, $"{where} 'k'") : 1;
            if (k < 1 || k != Math.Floor(k) || k > 4096) throw Invalid($"{where}: 'k' must be a whole number from 1 to 4096");
            ImmutableArray<string> labels = step.TryGetProperty("labels", out _) ? [.. Array(step, "labels", where).Select(l => l.ValueKind == JsonValueKind.String ? l.GetString()! : throw Invalid($"{where}: 'labels' must be strings"))] : [];
            return new TemplateStep(name, kind, Ref(Property(step, "from", where), $"{where} 'from'"), (int)k, labels);
        }
        throw Invalid($"{where}: a step is a model step ('model'), a combine step ('combine'), a switch step ('switch') or a template step ('template')");
    }

    private static TemplateStep Normalize(JsonElement step, string name, string where)
    {
        Known(step, where, "name", "template", "from", "mean", "std", "channels", "scale");
        ImmutableArray<double> Numbers(string field, double missing) => step.TryGetProperty(field, out _)
            ? [.. Array(step, field, where).Select(n => Number(n, $"{where} '{field}'"))]
            : [missing];
        var std = Numbers("std", 1);
        if (std.Any(v => v == 0 || !double.IsFinite(v))) throw Invalid($"{where}: 'std' values must be finite and not 0");
        ImmutableArray<long> channels = step.TryGetProperty("channels", out _) ? [.. Numbers("channels", 0).Select(c => (long)c)] : [];
        var scale = step.TryGetProperty("scale", out var s) ? Number(s, $"{where} 'scale'") : 1;
        return new TemplateStep(name, TemplateStep.Normalize, Ref(Property(step, "from", where), $"{where} 'from'"), 0, [], Numbers("mean", 0), std, channels, scale);
    }

    private static TemplateStep Image(JsonElement step, string name, string kind, string where)
    {
        var from = Ref(Property(step, "from", where), $"{where} 'from'");
        if (kind == TemplateStep.DecodeImage)
        {
            Known(step, where, "name", "template", "from", "color");
            var color = step.TryGetProperty("color", out var c) ? Text(c, $"{where} 'color'") : TemplateStep.Bgr;
            if (color is not (TemplateStep.Bgr or TemplateStep.Rgb)) throw Invalid($"{where}: 'color' is '{TemplateStep.Bgr}' or '{TemplateStep.Rgb}', not '{color}'");
            return new TemplateStep(name, kind, from, 0, [], Color: color);
        }
        var layout = TemplateStep.ChannelsLast;
        if (kind == TemplateStep.Resize)
        {
            Known(step, where, "name", "template", "from", "height", "width", "layout");
            layout = step.TryGetProperty("layout", out var l) ? Text(l, $"{where} 'layout'") : TemplateStep.ChannelsLast;
            if (layout is not (TemplateStep.ChannelsLast or TemplateStep.ChannelsFirst)) throw Invalid($"{where}: 'layout' is '{TemplateStep.ChannelsLast}' or '{TemplateStep.ChannelsFirst}', not '{layout}'");
        }
        else
        {
            Known(step, where, "name", "template", "from", "height", "width");
        }
        int Size(string field)
        {
            var value = Number(Property(step, field, where), $"{where} '{field}'");
            return value is >= 1 and <= 65536 && value == Math.Floor(value) ? (int)value : throw Invalid($"{where}: '{field}' must be a whole number from 1 to 65536");
        }
        return new TemplateStep(name, kind, from, 0, [], Height: Size("height"), Width: Size("width"), Layout: layout);
    }

    private static TemplateStep Tokenize(JsonElement step, string name, string where)
    {
        Known(step, where, "name", "template", "from", "vocab", "max_length", "lower_case");
        ImmutableArray<string> vocab = [.. Array(step, "vocab", where).Select(t => Text(t, $"{where}: a 'vocab' entry"))];
        var missing = Tokenizer.Special.Where(t => !vocab.Contains(t)).ToArray();
        if (missing.Length > 0) throw Invalid($"{where}: 'vocab' lacks {string.Join(", ", missing)}");
        if (vocab.Any(t => t.Contains('\n', StringComparison.Ordinal))) throw Invalid($"{where}: a 'vocab' token holds a line break");
        var length = Number(Property(step, "max_length", where), $"{where} 'max_length'");
        if (length is < 2 or > 8192 || length != Math.Floor(length)) throw Invalid($"{where}: 'max_length' must be a whole number from 2 to 8192");
        var lower = !step.TryGetProperty("lower_case", out var l) || (l.ValueKind is JsonValueKind.True or JsonValueKind.False ? l.GetBoolean() : throw Invalid($"{where}: 'lower_case' must be true or false"));
        return new TemplateStep(name, TemplateStep.Tokenize, Ref(Property(step, "from", where), $"{where} 'from'"), 0, [], Vocab: vocab, MaxLength: (int)length, LowerCase: lower);
    }

    private static TensorRef Ref(JsonElement element, string where)
    {
        var text = Text(element, where);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == text.Length - 1) throw Invalid($"{where}: '{text}' is not \"source.tensor\" (a step name or 'pipeline', a dot, a tensor name)");
        return new TensorRef(text[..dot], text[(dot + 1)..]);
    }

    private static IEnumerable<JsonElement> Array(JsonElement parent, string name, string where)
    {
        var array = Property(parent, name, where);
        if (array.ValueKind != JsonValueKind.Array) throw Invalid($"{where}: '{name}' must be an array");
        return array.EnumerateArray().ToArray();
    }

    private static JsonElement Property(JsonElement parent, string name, string where) =>
        parent.TryGetProperty(name, out var value) ? value : throw Invalid($"{where} has no '{name}'");

    private static string Text(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 } text ? text : throw Invalid($"{what} must be a non-empty string");

    private static string VersionText(JsonElement element, string where) => element.ValueKind == JsonValueKind.Number
        ? element.GetInt64().ToString(CultureInfo.InvariantCulture)
        : Text(element, $"{where} 'version'");

    private static double Number(JsonElement element, string what) =>
        element.ValueKind == JsonValueKind.Number ? element.GetDouble() : throw Invalid($"{what} must be a number");

    private static void Known(JsonElement element, string where, params string[] names)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!names.Contains(property.Name)) throw Invalid($"{where}: unknown field '{property.Name}' (expected {string.Join(", ", names)})");
        }
    }

    private static InvalidDataException Invalid(string message) => new($"pipeline.json: {message}.");
}
