namespace Rekognition.Imaging.Decoding;

/// <summary>
/// The one place training and serving get their image decoder from, so both decode alike (libjpeg-turbo when
/// present). Registered as a singleton by <c>AddRekognitionOnnxRuntime</c> and <c>AddRekognitionTraining</c>;
/// <see cref="ImageDecoderFactory"/> is the implementation.
/// </summary>
public interface IImageDecoderFactory
{
    /// <summary>Which decoder <see cref="Decoder"/> is (<see cref="ImageDecoderKind.Auto"/> resolved to the one chosen).</summary>
    ImageDecoderKind Kind { get; }

    /// <summary>The decoder, created once and shared: decoders are thread-safe.</summary>
    IImageDecoder Decoder { get; }
}
