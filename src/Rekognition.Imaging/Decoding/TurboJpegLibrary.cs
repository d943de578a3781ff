using System.Runtime.InteropServices;
using Rekognition.Core.Model;

namespace Rekognition.Imaging.Decoding;

/// <summary>
/// The TurboJPEG API of the system's libjpeg-turbo (libturbojpeg), loaded at run time when present: the same
/// library OpenCV and Pillow decode with, built with its SIMD kernels (the copy inside SkiaSharp is built
/// without them). Calls go through unmanaged function pointers, so a decode allocates nothing managed. A
/// TurboJPEG handle is not thread-safe: each thread gets its own, destroyed when the thread ends.
/// </summary>
internal sealed unsafe class TurboJpegLibrary
{
    private const int PixelFormatRgba = 7;
    private const int ErrorCodeWarning = 0;

    private static readonly Lazy<TurboJpegLibrary?> Loaded = new(Load);

    [ThreadStatic]
    private static DecompressHandle? t_handle;

    private readonly delegate* unmanaged<IntPtr> _initDecompress;
    private readonly delegate* unmanaged<IntPtr, byte*, CULong, int*, int*, int*, int*, int> _decompressHeader3;
    private readonly delegate* unmanaged<IntPtr, byte*, CULong, byte*, int, int, int, int, int, int> _decompress2;
    private readonly delegate* unmanaged<IntPtr, int> _getErrorCode;
    private readonly delegate* unmanaged<IntPtr, byte*> _getErrorStr2;
    private readonly delegate* unmanaged<IntPtr, int> _destroy;
    private readonly delegate* unmanaged<IntPtr, byte*, CULong, byte**, int, int*, int, int, int> _decompressToYuvPlanes;

    private TurboJpegLibrary(IntPtr library)
    {
        _initDecompress = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "tjInitDecompress");
        _decompressHeader3 = (delegate* unmanaged<IntPtr, byte*, CULong, int*, int*, int*, int*, int>)NativeLibrary.GetExport(library, "tjDecompressHeader3");
        _decompress2 = (delegate* unmanaged<IntPtr, byte*, CULong, byte*, int, int, int, int, int, int>)NativeLibrary.GetExport(library, "tjDecompress2");
        _getErrorCode = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(library, "tjGetErrorCode");
        _getErrorStr2 = (delegate* unmanaged<IntPtr, byte*>)NativeLibrary.GetExport(library, "tjGetErrorStr2");
        _destroy = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(library, "tjDestroy");
        // tjDecompressToYUVPlanes (TurboJPEG 1.4 and later): raw Y, Cb, Cr planes, without libjpeg's upsampling and colour conversion.
        _decompressToYuvPlanes = NativeLibrary.TryGetExport(library, "tjDecompressToYUVPlanes", out var yuv)
            ? (delegate* unmanaged<IntPtr, byte*, CULong, byte**, int, int*, int, int, int>)yuv
            : null;
    }

    /// <summary>The loaded library, or null where no libturbojpeg (2.0 or later) can be found.</summary>
    public static TurboJpegLibrary? Instance => Loaded.Value;

    /// <summary>Whether this copy can decode to Y, Cb, Cr planes (<see cref="DecodeYuv"/>).</summary>
    public bool HasYuvPlanes => _decompressToYuvPlanes != null;

    /// <summary>The stored (not orientation-corrected) size of a JPEG, from its header.</summary>
    /// <exception cref="InvalidImageFormatException">The header cannot be read.</exception>
    public (int Width, int Height) ReadSize(ReadOnlySpan<byte> jpeg)
    {
        var header = ReadHeader(jpeg);
        return (header.Width, header.Height);
    }

    /// <summary>
    /// The stored size of a JPEG with its chroma subsampling (TurboJPEG's TJSAMP value: 0 4:4:4, 1 4:2:2, 2 4:2:0,
    /// 3 grey, 4 4:4:0, 5 4:1:1, -1 unknown) and colour space (TJCS: 0 RGB, 1 YCbCr, 2 grey, 3 CMYK, 4 YCCK).
    /// </summary>
    /// <exception cref="InvalidImageFormatException">The header cannot be read.</exception>
    public (int Width, int Height, int Subsampling, int Colorspace) ReadHeader(ReadOnlySpan<byte> jpeg)
    {
        var handle = Handle();
        int width, height, subsampling, colorspace;
        fixed (byte* data = jpeg)
        {
            if (_decompressHeader3(handle, data, new CULong((nuint)jpeg.Length), &width, &height, &subsampling, &colorspace) != 0)
            {
                throw Failure(handle, "its header");
            }
        }

        return (width, height, subsampling, colorspace);
    }

    /// <summary>
    /// Decodes to packed RGBA rows of <paramref name="width"/> x <paramref name="height"/>, which must be one of the
    /// decoder's scaled sizes. Warnings (data libjpeg could conceal) are accepted as libjpeg and SkiaSharp accept them.
    /// </summary>
    /// <exception cref="InvalidImageFormatException">The decoder stopped on an error.</exception>
    public void Decode(ReadOnlySpan<byte> jpeg, Span<byte> rgba, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rgba.Length, width * height * 4);
        var handle = Handle();
        fixed (byte* data = jpeg)
        fixed (byte* pixels = rgba)
        {
            if (_decompress2(handle, data, new CULong((nuint)jpeg.Length), pixels, width, width * 4, height, PixelFormatRgba, 0) != 0
                && _getErrorCode(handle) != ErrorCodeWarning)
            {
                throw Failure(handle, "its pixel data");
            }
        }
    }

    /// <summary>
    /// Decodes a YCbCr JPEG to its raw planes at the scaled luma size <paramref name="width"/> x <paramref name="height"/>
    /// (one of the decoder's scaled sizes): no chroma upsampling, no colour conversion. Each plane is as TurboJPEG
    /// sizes it (the luma plane padded to a whole chroma sample), rows <paramref name="lumaStride"/> and <paramref name="chromaStride"/> bytes apart.
    /// </summary>
    /// <exception cref="InvalidImageFormatException">The decoder stopped on an error.</exception>
    public void DecodeYuv(ReadOnlySpan<byte> jpeg, Span<byte> y, Span<byte> cb, Span<byte> cr, int width, int height, int lumaStride, int chromaStride)
    {
        if (_decompressToYuvPlanes == null)
        {
            throw new PlatformNotSupportedException("This libturbojpeg has no tjDecompressToYUVPlanes.");
        }

        var handle = Handle();
        var strides = stackalloc int[3] { lumaStride, chromaStride, chromaStride };
        fixed (byte* data = jpeg)
        fixed (byte* py = y)
        fixed (byte* pcb = cb)
        fixed (byte* pcr = cr)
        {
            var planes = stackalloc byte*[3] { py, pcb, pcr };
            if (_decompressToYuvPlanes(handle, data, new CULong((nuint)jpeg.Length), planes, width, strides, height, 0) != 0
                && _getErrorCode(handle) != ErrorCodeWarning)
            {
                throw Failure(handle, "its pixel data");
            }
        }
    }

    private static TurboJpegLibrary? Load()
    {
        foreach (var name in (string[])["libturbojpeg.so.0", "libturbojpeg.so", "libturbojpeg.0.dylib", "libturbojpeg.dylib", "turbojpeg.dll"])
        {
            if (NativeLibrary.TryLoad(name, out var library))
            {
                // tjGetErrorCode and tjDecompressHeader3 came with TurboJPEG 2.0; older copies are not used.
                if (NativeLibrary.TryGetExport(library, "tjGetErrorCode", out _) && NativeLibrary.TryGetExport(library, "tjDecompressHeader3", out _))
                {
                    return new TurboJpegLibrary(library);
                }

                NativeLibrary.Free(library);
            }
        }

        return null;
    }

    /// <summary>The exception for a failed call; the thread's handle is replaced, as libjpeg can be left mid-stream by an error.</summary>
    private InvalidImageFormatException Failure(IntPtr handle, string part)
    {
        var message = Marshal.PtrToStringUTF8((IntPtr)_getErrorStr2(handle)) ?? "unknown error";
        var broken = t_handle;
        t_handle = null;
        broken?.Dispose();
        return new InvalidImageFormatException($"The JPEG cannot be decoded: {part} is damaged ({message}).");
    }

    private IntPtr Handle()
    {
        var handle = t_handle;
        if (handle is null)
        {
            handle = new DecompressHandle(this, _initDecompress());
            if (handle.Value == IntPtr.Zero)
            {
                throw new InvalidOperationException("TurboJPEG could not create a decompressor (out of memory?).");
            }

            t_handle = handle;
        }

        return handle.Value;
    }

    /// <summary>One thread's decompressor; destroyed when discarded, or by the finalizer once the thread (its only holder) is gone.</summary>
    private sealed class DecompressHandle(TurboJpegLibrary library, IntPtr value) : IDisposable
    {
        public IntPtr Value { get; } = value;

        public void Dispose()
        {
            Destroy();
            GC.SuppressFinalize(this);
        }

        ~DecompressHandle() => Destroy();

        private void Destroy()
        {
            if (Value != IntPtr.Zero)
            {
                library._destroy(Value);
            }
        }
    }
}
