using System.Security.Cryptography;
using Azure.Storage;

namespace Duplicity.Backends.Azure;

/// <summary>The transfer checks every upload request carries.</summary>
internal static class AzureUploadChecks
{
    /// <summary>Content-MD5 of the body, so the service refuses a body corrupted in transit (a transient error).</summary>
    public static UploadTransferValidationOptions Md5Of(ReadOnlySpan<byte> data)
    {
#pragma warning disable CA5351 // Azure's Content-MD5 transfer check (integrity of the transfer; it protects no secret).
        var md5 = MD5.HashData(data);
#pragma warning restore CA5351
        return new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5, PrecalculatedChecksum = md5 };
    }
}
