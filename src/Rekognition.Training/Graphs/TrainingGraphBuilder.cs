using Rekognition.Onnx.Ir;
using Rekognition.Training.Gradients;
using Rekognition.Training.Kernels;
using Rekognition.Training.Losses;

namespace Rekognition.Training.Graphs;

/// <summary>
/// Turns an inference graph into a training graph by reverse-mode differentiation into standard ONNX
/// ops (opset 17): the forward in training mode, the loss, then each node's backward in reverse order,
/// gradients summed where a tensor feeds several nodes (<see cref="ReverseSweep"/>). A loss either hands over
/// the output's gradient in closed form or, as a <see cref="DifferentiableLoss"/>, is differentiated through
/// its own nodes first. Trainable initializers become inputs so the
/// trainer can bind them to pinned buffers and update them in place.
/// </summary>
internal static class TrainingGraphBuilder
{
    /// <summary>The opset the training graph is emitted in.</summary>
    public const int Opset = 17;

    /// <summary>Suffix of each parameter's gradient output.</summary>
    public const string GradientSuffix = "__grad";

    /// <summary>
    /// Builds the training graph of <paramref name="inference"/> for the tensor <paramref name="output"/>
    /// under <paramref name="loss"/>, at a fixed batch size. <paramref name="inputShapes"/> gives each data
    /// input's shape at that batch size (batch first).
    /// </summary>
    public static TrainingGraph Build(ModelProto inference, IReadOnlyCollection<string> trainable, string output,
        TrainingLoss loss, IReadOnlyDictionary<string, long[]> inputShapes, bool trainingMode = true, bool customKernels = true)
    {
        ArgumentNullException.ThrowIfNull(inference);
        ArgumentNullException.ThrowIfNull(trainable);
        ArgumentNullException.ThrowIfNull(loss);
        var opset = inference.Graph.Node.Count == 0 ? Opset : inference.OpsetImport.Where(o => string.IsNullOrEmpty(o.Domain)).Select(o => o.Version).DefaultIfEmpty(Opset).Max();
        if (opset < 13)
        {
            throw new NotSupportedException($"The inference graph uses opset {opset}; training graphs need opset 13 or later (ReduceSum's axes input).");
        }

        inference = ForwardRewrites.Apply(inference);
        var shapes = ShapeProbe.Run(inference, inputShapes);
        var source = inference.Graph;
        var initializers = source.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        foreach (var name in trainable)
        {
            if (!initializers.TryGetValue(name, out var init) || init.DataType != OnnxTensors.Float)
            {
                throw new ArgumentException($"The trainable parameter {name} is not a float initializer of the graph.", nameof(trainable));
            }
        }

        var constants = new Dictionary<string, TensorProto>(initializers, StringComparer.Ordinal);
        foreach (var node in source.Node.Where(n => n.OpType == "Constant"))
        {
            if (OnnxAttributes.Find(node, "value") is { } value)
            {
                constants[node.Output[0]] = value.T;
            }
        }

        // The training graph: data inputs at the fixed batch, parameters as inputs, everything else as before.
        var graph = new GraphProto { Name = (source.Name ?? "model") + "_training" };
        var trainableSet = new HashSet<string>(trainable, StringComparer.Ordinal);
        var dataInputs = new List<string>();
        foreach (var input in source.Input)
        {
            if (initializers.ContainsKey(input.Name))
            {
                continue;
            }

            graph.Input.Add(OnnxTensors.ValueInfo(input.Name, input.Type.TensorType.ElemType, shapes[input.Name]));
            dataInputs.Add(input.Name);
        }

        var parameters = new List<TrainableParameter>();
        foreach (var name in trainable)
        {
            var init = initializers[name];
            graph.Input.Add(OnnxTensors.ValueInfo(name, OnnxTensors.Float, init.Dims));
            parameters.Add(new TrainableParameter(name, name + GradientSuffix, init.Dims.ToArray(), OnnxTensors.ToFloats(init)));
        }

        graph.Initializer.AddRange(source.Initializer.Where(i => !trainableSet.Contains(i.Name)).Select(i => i.Clone()));

        var needsGradient = new HashSet<string>(trainableSet, StringComparer.Ordinal);
        ReverseSweep.Propagate(source.Node, needsGradient);

        var emit = new GraphEmitter(graph);
        foreach (var node in source.Node)
        {
            // Reserve the copied nodes' names and outputs before any new node or tensor is named.
            emit.Reserve(node.Name);
            foreach (var produced in node.Output)
            {
                emit.Reserve(produced);
            }
        }

        var context = new GradientContext(emit, shapes, needsGradient, constants)
        {
            TrainingMode = trainingMode,
            CustomKernels = customKernels && TrainingKernels.Available,
            Producers = source.Node.SelectMany(n => n.Output.Where(o => o.Length > 0).Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal),
            Consumers = source.Node.SelectMany(n => n.Input).Concat(source.Output.Select(o => o.Name)).Where(t => t.Length > 0)
                .GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
        };

        foreach (var node in source.Node)
        {
            var rule = OpGradients.Find(node.OpType);
            if (rule is null)
            {
                if (node.Input.Any(context.NeedsGradient))
                {
                    throw new NotSupportedException($"No gradient rule for the op {node.OpType} (node {node.Name}), which a trainable parameter feeds.");
                }

                graph.Node.Add(node.Clone());
            }
            else
            {
                rule.Forward(node, context);
            }
        }

        if (!shapes.TryGetValue(output, out var outputShape))
        {
            throw new ArgumentException($"The graph has no tensor {output}.", nameof(output));
        }

        var lossNodes = loss.Emit(emit, output, outputShape);
        graph.Input.AddRange(lossNodes.Inputs);

        var gradients = ReverseSweep.Run(source.Node, context, new Dictionary<string, string>(StringComparer.Ordinal) { [output] = lossNodes.OutputGradient });

        graph.Output.Add(OnnxTensors.ValueInfo(lossNodes.Loss, OnnxTensors.Float, Array.Empty<long>()));
        foreach (var p in parameters)
        {
            if (!gradients.TryGetValue(p.Name, out var g))
            {
                throw new ArgumentException($"The loss does not depend on the trainable parameter {p.Name}.", nameof(trainable));
            }

            emit.Add("Identity", new[] { g }, new[] { p.GradientName });
            graph.Output.Add(OnnxTensors.ValueInfo(p.GradientName, OnnxTensors.Float, p.Shape));
        }

        foreach (var (name, shape) in context.ExtraOutputs)
        {
            graph.Output.Add(OnnxTensors.ValueInfo(name, OnnxTensors.Float, shape));
        }

        var used = new HashSet<string>(graph.Node.SelectMany(n => n.Input), StringComparer.Ordinal);
        var unused = graph.Initializer.Where(i => !used.Contains(i.Name)).ToList();
        foreach (var i in unused)
        {
            graph.Initializer.Remove(i);
        }

        var model = new ModelProto { IrVersion = 8, ProducerName = "Rekognition.Training", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Math.Max(opset, Opset) });
        // Contrib domains (e.g. a frozen int8 backbone's QLinearAdd) stay declared.
        model.OpsetImport.AddRange(inference.OpsetImport.Where(o => !string.IsNullOrEmpty(o.Domain)).Select(o => o.Clone()));
        if (graph.Node.Any(n => n.Domain == TrainingKernels.Domain))
        {
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = TrainingKernels.Domain, Version = 1 });
        }
        return new TrainingGraph(model, parameters, lossNodes.Loss, dataInputs, lossNodes.Inputs.Select(i => i.Name).ToList(),
            context.BatchNorms.ToList(), context.DropoutMasks.ToList(), checked((int)shapes[dataInputs[0]][0]));
    }
}
