using System.Text.RegularExpressions;
using Duplicity.Selection;

namespace Duplicity.Tests.Selection;

[Category("Unit")]
public class GlobTranslatorTests
{
    private static bool Matches(string glob, string path) =>
        new Regex("^" + GlobTranslator.ToRegex(glob) + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant).IsMatch(path);

    [TestCase("a/**", "a/b/c", true)]
    [TestCase("a/*", "a/b/c", false)]
    [TestCase("a/*", "a/", true)]
    [TestCase("a?c", "abc", true)]
    [TestCase("a?c", "a/c", false)]
    [TestCase("a?c", "a\U0001F600c", true)]
    [TestCase("??", "\U0001F600", false)]
    [TestCase("[ab]", "b", true)]
    [TestCase("[!ab]", "b", false)]
    [TestCase("[^ab]", "c", true)]
    [TestCase("[!ab]", "/", true)]
    [TestCase("[]]", "]", true)]
    [TestCase("[!]]", "]", false)]
    [TestCase("[", "[", true)]
    [TestCase("[a", "[a", true)]
    [TestCase("[\\]", "\\", true)]
    [TestCase("[a-c]", "b", true)]
    [TestCase("[a-]", "-", true)]
    [TestCase("[[:alpha:]]", ":]", true)]
    [TestCase("[a-z-[aeiou]]", "a]", true)]
    [TestCase("[\U0001F600x]", "\U0001F600", true)]
    [TestCase("[!\U0001F600]", "\U0001F601", true)]
    [TestCase("[!\U0001F600]", "\U0001F600", false)]
    [TestCase("a.b", "axb", false)]
    [TestCase("a+(b)|$^{1}", "a+(b)|$^{1}", true)]
    [TestCase("*", "a\nb", true)]
    [TestCase("**", "a\n/b", true)]
    public void TranslatesLikeDuplicity(string glob, string path, bool expected) =>
        Assert.That(Matches(glob, path), Is.EqualTo(expected));

    [Test]
    public void QuestionMarkMatchesOneEscapedByte()
    {
        // (Lone surrogates cannot travel through attribute arguments.)
        Assert.That(Matches("?", "\udcff"), Is.True);
        Assert.That(Matches("a?b", "a\udcff\udc80b"), Is.False);
        Assert.That(Matches("*", "\udcff\udc80"), Is.True);
    }

    [Test]
    public void ReversedRangeIsAnError() =>
        Assert.That(() => GlobTranslator.ToRegex("[z-a]"),
            Throws.TypeOf<DuplicityException>().With.Property("Code").EqualTo(DuplicityErrorCode.Unexpected));

    [TestCase("(?P<n>a)(?P=n)", "(a)\\k<1>")]
    [TestCase("a\\Z", "a\\z")]
    [TestCase("a{,3}", "a{0,3}")]
    [TestCase("a{,}", "a{0,}")]
    [TestCase("a{x}", "a\\{x}")]
    [TestCase("[[]", "[\\[]")]
    [TestCase("(?u)x", "x")]
    public void TranslatesPythonRegexSyntax(string python, string dotnet) =>
        Assert.That(PythonRegexTranslator.Translate(python), Is.EqualTo(dotnet));

    [TestCase("a*+")]
    [TestCase("\\N{DIGIT ONE}")]
    [TestCase("(?a)x")]
    [TestCase("\\p{L}")]
    [TestCase("(?<n>x)")]
    public void RefusesWhatDotnetCannotMirror(string python) =>
        Assert.That(() => PythonRegexTranslator.Compile(python), Throws.TypeOf<DuplicityException>());
}
