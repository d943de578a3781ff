namespace Rekognition.Training.Tests;

/// <summary>The shared third-party models, reached from the test folder (never copied into the repository).</summary>
internal static class SharedData
{
    public static string Root => Path.GetFullPath(Path.Combine(TestContext.CurrentContext.TestDirectory, "../../../../../../shared/data"));

    public static string YoloXNano => Path.Combine(Root, "models", "yolox_nano_coco_iinfer.onnx");

    public static string MobileNetV2Int8 => Path.Combine(Root, "models", "mobilenetv2-12-int8.onnx");
}
