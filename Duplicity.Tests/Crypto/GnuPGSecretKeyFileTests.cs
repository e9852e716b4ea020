using Duplicity.Crypto;

namespace Duplicity.Tests.Crypto;

[Category("Unit")]
public class GnuPGSecretKeyFileTests
{
    private static string[] KeyFiles() =>
        Directory.GetFiles(Path.Combine(GpgTestKeys.DataDir, "home", "private-keys-v1.d"), "*.key");

    [Test]
    public void Every_agent_key_file_opens()
    {
        var protectedCount = 0;
        foreach (var path in KeyFiles())
        {
            var file = GnuPGSecretKeyFile.Parse(File.ReadAllBytes(path));
            var secret = file.SecretParameters(GpgTestKeys.Passphrase, Path.GetFileName(path));
            Assert.That(secret.Value("d"), Is.Not.Null.And.Not.Empty, path);
            if (file.IsProtected)
            {
                protectedCount++;
                Assert.Throws<WrongPassphraseException>(() => file.SecretParameters("wrong", "x"));
            }
        }
        Assert.That(protectedCount, Is.EqualTo(4));
    }
}
