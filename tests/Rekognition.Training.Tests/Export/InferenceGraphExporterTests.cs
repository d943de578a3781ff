using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Backbones;
using Rekognition.Training.Export;

namespace Rekognition.Training.Tests.Export;

public class InferenceGraphExporterTests
{
    [Test]
    public void FoldedGraphComputesWhatTheUnfoldedOneDoes()
    {
        var (model, trainable) = BuiltInNetworks.CompactCnn(3, 16, 4, width: 4, seed: 5);
        // Non-trivial batch-norm values, as after training.
        var random = new Random(9);
        var values = new Dictionary<string, float[]>();
        foreach (var init in model.Graph.Initializer.Where(i => i.Name.StartsWith("bn", StringComparison.Ordinal)))
        {
            var n = (int)init.Dims[0];
            values[init.Name] = Enumerable.Range(0, n).Select(_ => init.Name.EndsWith("running_var", StringComparison.Ordinal) ? 0.5f + random.NextSingle() : random.NextSingle() - 0.5f).ToArray();
        }

        var exported = InferenceGraphExporter.Export(model, values);
        Assert.That(exported.Graph.Node.Count(n => n.OpType == "BatchNormalization"), Is.Zero);
        Assert.That(exported.Graph.Node.Count(n => n.OpType == "Dropout"), Is.Zero);

        // The reference: the same values in the original graph, batch norm and dropout still in it.
        var unfolded = model.Clone();
        foreach (var init in unfolded.Graph.Initializer)
        {
            if (values.TryGetValue(init.Name, out var v))
            {
                init.RawData = Graphs.OnnxTensors.FromFloats(init.Name, v, init.Dims.ToArray()).RawData;
            }
        }

        var input = new DenseTensor<float>(Enumerable.Range(0, 2 * 3 * 16 * 16).Select(_ => random.NextSingle()).ToArray(), new[] { 2, 3, 16, 16 });
        float[] Run(ModelProto m)
        {
            using var s = new InferenceSession(m.ToByteArray());
            using var r = s.Run(new[] { NamedOnnxValue.CreateFromTensor(BuiltInNetworks.Input, input) });
            return r[0].AsTensor<float>().ToArray();
        }

        Assert.That(Run(exported), Is.EqualTo(Run(unfolded)).Within(1e-4));
        Assert.That(trainable, Is.Not.Empty);
    }
}
