using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Cli;

/// <summary>
/// Where a command writes: tables (Spectre.Console, plain when the output is not a terminal), JSON
/// for machines, and messages on the error writer so redirected output stays parseable.
/// </summary>
public sealed class CliOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private IAnsiConsole? _console;

    public CliOutput(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        // Only the process's own, unredirected stdout is a terminal; a test's StringWriter never is.
        IsTerminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool IsTerminal { get; }

    /// <summary>The Spectre console over <see cref="Out"/>: ANSI and live widgets on a terminal, plain text elsewhere.</summary>
    public IAnsiConsole Console => _console ??= IsTerminal
        ? AnsiConsole.Console
        : CreatePlainConsole();

    public void Json(JsonElement? element) => Out.WriteLine(element is { } e ? JsonSerializer.Serialize(e, Indented) : "null");

    public void Line(string text) => Out.WriteLine(text);

    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var table = new Table { Border = IsTerminal ? TableBorder.Rounded : TableBorder.Simple };
        foreach (var header in headers) table.AddColumn(new TableColumn(new Text(header)));
        foreach (var row in rows) table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));
        Console.Write(table);
    }

    private IAnsiConsole CreatePlainConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Out),
        });
        // Redirected output has no width; a wide one keeps rows on one line for grep and diff.
        console.Profile.Width = 240;
        return console;
    }
}
