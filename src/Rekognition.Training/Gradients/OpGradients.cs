namespace Rekognition.Training.Gradients;

/// <summary>The gradient rule of each supported ONNX op type.</summary>
internal static class OpGradients
{
    private static readonly Dictionary<string, IOpGradient> Rules = new(StringComparer.Ordinal)
    {
        ["Conv"] = new ConvGradient(),
        ["Relu"] = new ReluGradient(),
        ["LeakyRelu"] = new LeakyReluGradient(),
        ["Sigmoid"] = new SigmoidGradient(),
        ["Tanh"] = new TanhGradient(),
        ["Clip"] = new ClipGradient(),
        ["HardSigmoid"] = new HardSigmoidGradient(),
        ["HardSwish"] = new HardSwishGradient(),
        ["Softmax"] = new SoftmaxGradient(),
        ["LogSoftmax"] = new LogSoftmaxGradient(),
        ["MaxPool"] = new MaxPoolGradient(),
        ["AveragePool"] = new AveragePoolGradient(),
        ["GlobalAveragePool"] = new GlobalAveragePoolGradient(),
        ["Gemm"] = new GemmGradient(),
        ["MatMul"] = new MatMulGradient(),
        ["Add"] = new ElementwiseGradient(),
        ["Sub"] = new ElementwiseGradient(),
        ["Mul"] = new ElementwiseGradient(),
        ["Div"] = new ElementwiseGradient(),
        ["Neg"] = new NegGradient(),
        ["Reshape"] = new ReshapeGradient(),
        ["Flatten"] = new ReshapeGradient(),
        ["Squeeze"] = new ReshapeGradient(),
        ["Unsqueeze"] = new ReshapeGradient(),
        ["Identity"] = new ReshapeGradient(),
        ["Transpose"] = new TransposeGradient(),
        ["Concat"] = new ConcatGradient(),
        ["Slice"] = new SliceGradient(),
        ["ReduceSum"] = new ReduceGradient(),
        ["ReduceMean"] = new ReduceGradient(),
        ["BatchNormalization"] = new BatchNormGradient(),
        ["Dropout"] = new DropoutGradient(),
    };

    /// <summary>The rule for <paramref name="opType"/>, or null when the op has none.</summary>
    public static IOpGradient? Find(string opType) => Rules.TryGetValue(opType, out var rule) ? rule : null;
}
