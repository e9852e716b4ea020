using Duplicity.Rsync;

namespace Duplicity.Benchmarks;

/// <summary>
/// File-to-file rsync work, the same as rdiff's commands: <c>signature OLD SIG</c> reads a file and
/// writes its signature; <c>delta SIG NEW DELTA</c> reads the signature file, builds its index, reads
/// the new file and writes the delta; <c>patch OLD DELTA OUT</c> reads the delta and the basis and
/// writes the new file. Files are read in 64 KiB pieces, as the backup reads them.
/// </summary>
internal static class FileCommands
{
    /// <summary>Block length of duplicity's signatures for files of 4 MiB and more (and rdiff's -b 2048).</summary>
    public const int BlockLength = 2048;

    private const int Chunk = 64 * 1024;

    public static void Signature(string basisPath, string signaturePath)
    {
        using var input = OpenRead(basisPath);
        using var output = Create(signaturePath);
        var builder = new SignatureBuilder(BlockLength, output);
        Feed(input, builder.Append);
        builder.Complete();
    }

    public static void Delta(string signaturePath, string newPath, string deltaPath)
    {
        Rsync.Signature signature;
        using (var input = OpenRead(signaturePath))
        {
            signature = Rsync.Signature.Read(input);
        }

        using var newFile = OpenRead(newPath);
        using var output = Create(deltaPath);
        var generator = new DeltaGenerator(signature, output);   // builds the signature's index
        Feed(newFile, generator.Append);
        generator.Complete();
    }

    public static async Task PatchAsync(string basisPath, string deltaPath, string outputPath, CancellationToken cancellationToken)
    {
        var basis = OpenRead(basisPath);
        await using (basis.ConfigureAwait(false))
        {
            var delta = OpenRead(deltaPath);
            await using (delta.ConfigureAwait(false))
            {
                var output = Create(outputPath);
                await using (output.ConfigureAwait(false))
                {
                    await DeltaPatcher.ApplyAsync(basis, delta, output, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Runs <c>rdiff</c>-like command lines: signature, delta, patch, or noop (start-up cost alone).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        switch (args)
        {
            case ["signature", var basis, var signature]:
                Signature(basis, signature);
                return 0;
            case ["delta", var signature, var newFile, var delta]:
                Delta(signature, newFile, delta);
                return 0;
            case ["patch", var basis, var delta, var output]:
                await PatchAsync(basis, delta, output, CancellationToken.None).ConfigureAwait(false);
                return 0;
            case ["noop"]:
                return 0;
            default:
                await Console.Error.WriteLineAsync("usage: rdiff signature OLD SIG | delta SIG NEW DELTA | patch OLD DELTA OUT | noop").ConfigureAwait(false);
                return 2;
        }
    }

    // Unbuffered reads (the 64 KiB pieces are the buffer); buffered writes, as the engine's outputs are small commands.
    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    private static FileStream Create(string path) =>
        new(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: Chunk);

    private delegate void Sink(ReadOnlySpan<byte> data);

    private static void Feed(Stream input, Sink sink)
    {
        var buffer = new byte[Chunk];
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            sink(buffer.AsSpan(0, read));
        }
    }
}
