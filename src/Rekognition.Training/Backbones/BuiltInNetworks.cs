using Rekognition.Onnx.Ir;

namespace Rekognition.Training.Backbones;

/// <summary>The networks the trainer builds in code: the classic MNIST CNN, the compact conv-BN classifier and a small ResNet.</summary>
internal static class BuiltInNetworks
{
    /// <summary>The input tensor's name.</summary>
    public const string Input = "input";

    /// <summary>The logits output's name.</summary>
    public const string Output = "logits";

    /// <summary>
    /// The classic PyTorch/Keras MNIST example: conv3x3-32, ReLU, conv3x3-64, ReLU, maxpool 2, dropout 0.25,
    /// fc128, ReLU, dropout 0.5, fc classes (1×28×28 input).
    /// </summary>
    public static (ModelProto Model, IReadOnlyList<string> Trainable) MnistCnn(int classes = 10, int seed = 0)
    {
        var b = new NetworkBuilder(Input, 1, 28, 28, seed)
            .Conv(32, 3).Relu()
            .Conv(64, 3).Relu()
            .MaxPool(2).Dropout(0.25f).Flatten()
            .Linear(128).Relu().Dropout(0.5f)
            .Linear(classes);
        return (b.Build(Output), b.Trainable);
    }

    /// <summary>
    /// The built-in compact classifier: three stages of two conv3x3-BN-ReLU blocks (widths
    /// <paramref name="width"/>, 2×, 4×), each stage after the first starting with a stride-2 conv, then global
    /// average pooling, dropout and a linear layer. Sized for MNIST digits and small photos (28 to 128 pixels).
    /// </summary>
    public static (ModelProto Model, IReadOnlyList<string> Trainable) CompactCnn(int channels, int size, int classes, int width = 32, float dropout = 0.2f, int seed = 0)
    {
        var b = new NetworkBuilder(Input, channels, size, size, seed);
        for (var stage = 0; stage < 3; stage++)
        {
            var c = width << stage;
            b.Conv(c, 3, stride: stage == 0 ? 1 : 2, padding: 1, bias: false, heInit: true).BatchNorm().Relu();
            b.Conv(c, 3, padding: 1, bias: false, heInit: true).BatchNorm().Relu();
        }

        b.GlobalAveragePool();
        if (dropout > 0)
        {
            b.Dropout(dropout);
        }

        b.Linear(classes);
        return (b.Build(Output), b.Trainable);
    }

    /// <summary>
    /// A small ResNet (ResNet-10 shape): a conv3x3-BN-ReLU stem of <paramref name="width"/> channels, four basic
    /// residual blocks of widths 1×, 2×, 4×, 8× (all but the first halving the resolution), global average pooling
    /// and a linear layer. With width 32 on 64×64 images it is the reference network of the PyTorch timing peer.
    /// </summary>
    public static (ModelProto Model, IReadOnlyList<string> Trainable) SmallResNet(int channels, int size, int classes, int width = 32, int seed = 0)
    {
        var b = new NetworkBuilder(Input, channels, size, size, seed)
            .Conv(width, 3, padding: 1, bias: false, heInit: true).BatchNorm().Relu()
            .BasicBlock(width)
            .BasicBlock(width * 2, stride: 2)
            .BasicBlock(width * 4, stride: 2)
            .BasicBlock(width * 8, stride: 2)
            .GlobalAveragePool()
            .Linear(classes);
        return (b.Build(Output), b.Trainable);
    }
}
