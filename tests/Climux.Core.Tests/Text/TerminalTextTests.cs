using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Tests.Agents;
using Climux.Core.Text;

namespace Climux.Core.Tests.Text;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b]0;pwned title\u0007after", "after")]                       // OSC title, BEL-terminated
    [InlineData("\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\", "link")]      // OSC 8 hyperlink, ST-terminated
    [InlineData("\u001b[2J\u001b[H\u001b[31mred\u001b[0m", "red")]               // CSI clear, home, colours
    [InlineData("\u001b[?25l\u001b[38;2;1;2;3mx", "x")]                           // private and long parameters
    [InlineData("a\u009b31mb\u009d0;t\u009cc", "abc")]                           // 8-bit CSI, OSC and ST
    [InlineData("\u001b(Bx\u001b7y\u001b8", "xy")]                                // charset and cursor-save escapes
    [InlineData("bar\rover\bwritten\u0007\u0000\u007f end", "baroverwritten end")] // CR, BS, BEL, NUL, DEL
    [InlineData("\u001bPq#0;2;0;0;0\u001b\\after", "after")]                      // DCS (sixel)
    [InlineData("kept\u001b]0;unterminated title\nnext line", "kept\nnext line")] // an unterminated OSC ends at its line
    [InlineData("lone escape at the end\u001b", "lone escape at the end")]
    public void Control_sequences_are_stripped(string text, string expected) => Assert.Equal(expected, TerminalText.Clean(text));

    [Theory]
    [InlineData("plain text, ünïcode 🚀\n\tindented")]
    [InlineData("")]
    public void Ordinary_text_is_left_as_it_is(string text) => Assert.Same(text, TerminalText.Clean(text));

    [Fact]
    public void A_long_text_keeps_its_start_within_the_byte_limit_and_says_how_much_was_cut()
    {
        var text = new string('é', 1000); // 2 bytes each
        var kept = TerminalText.KeepStart(text, 100)!;
        Assert.StartsWith(new string('é', 50), kept);
        Assert.DoesNotContain(new string('é', 51), kept);
        Assert.EndsWith("\n[climux: cut here, 1,900 more bytes in the raw log]", kept);
        Assert.Same(text, TerminalText.KeepStart(text, 2000));
    }

    [Fact]
    public void A_long_text_keeps_its_end_after_a_marker()
    {
        Assert.Equal("[climux: 7 characters cut from the start]\nend", TerminalText.KeepEnd("0123456end", 3));
        Assert.Equal("[climux: 12 characters cut from the start]\n3456end", TerminalText.KeepEnd("3456end", 10, alreadyCut: 12));
        Assert.Equal("short", TerminalText.KeepEnd("short", 10));
        // Never half a surrogate pair.
        Assert.Equal("[climux: 2 characters cut from the start]\nx", TerminalText.KeepEnd("🚀x", 2));
    }

    [Fact]
    public void A_text_provider_result_is_the_end_of_the_output()
    {
        var run = ParserRun.Of(new CommandProvider("mine", new ProviderConfig { Command = "/bin/x", Output = ProviderOutput.Text }));
        for (var i = 0; i < 20_000; i++)
            run.Read($"progress line {i:D6} ..........");
        run.Read("FINAL ANSWER");
        run.Complete();
        var result = run.Observation.ResultText!;
        Assert.EndsWith("progress line 019999 ..........\nFINAL ANSWER", result);
        Assert.Matches(@"^\[climux: [\d,]+ characters cut from the start\]\n", result);
        Assert.InRange(result.Length, 64 * 1024, 64 * 1024 + 100);
    }
}
