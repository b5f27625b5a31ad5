using System.Buffers.Binary;
using System.IO.Compression;

namespace MentorFlow.Tests;

/// <summary>Real images made in the test: a PNG any browser decodes (one colour), and a JPEG's headers up to its frame.</summary>
public static class TestImages
{
    /// <summary>A valid PNG of one colour: signature, IHDR (8-bit RGB), the rows deflated in IDAT, IEND, each chunk with its CRC.</summary>
    public static byte[] Png(int width, int height, byte red = 0x7a, byte green = 0x1f, byte blue = 0x5c)
    {
        var rows = new byte[height * (1 + width * 3)];
        for (var y = 0; y < height; y++)
        {
            var at = y * (1 + width * 3); // filter byte 0, then the pixels
            for (var x = 0; x < width; x++)
            {
                rows[at + 1 + x * 3] = red;
                rows[at + 2 + x * 3] = green;
                rows[at + 3 + x * 3] = blue;
            }
        }
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(rows);
        }
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // RGB
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", deflated.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A JPEG's start, a JFIF segment and its baseline frame header with the given size (enough to be recognised, not drawn).</summary>
    public static byte[] JpegHeader(int width, int height)
    {
        byte[] jfif = [0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
        byte[] frame = [0xFF, 0xC0, 0x00, 0x11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
        return [0xFF, 0xD8, .. jfif, .. frame, 0xFF, 0xD9];
    }

    private static void Chunk(Stream to, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        to.Write(number);
        byte[] named = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        to.Write(named);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(named));
        to.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
