using Microsoft.AspNetCore.Http;

namespace Rekognition.Server.Protocol;

/// <summary>Reads a request body whole, up to a limit (the signature covers the exact bytes).</summary>
internal static class RequestBody
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (declared > maxBytes)
        {
            throw ProtocolErrors.RequestTooLarge(declared, maxBytes);
        }

        var buffer = new byte[declared is { } length ? (int)length : 4096];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= maxBytes + 1)
                {
                    throw ProtocolErrors.RequestTooLarge(null, maxBytes);
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2 + 1, maxBytes + 1L));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
            if (filled > maxBytes)
            {
                throw ProtocolErrors.RequestTooLarge(null, maxBytes);
            }
        }

        return buffer.AsMemory(0, filled);
    }
}
