using BenchmarkDotNet.Running;
using Rekognition.Benchmarks.Detection;
using Rekognition.Benchmarks.Server;

// Runs the benchmarks named on the command line (BenchmarkDotNet's --filter), e.g.
//   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- --filter '*Manifest*'
// or the HTTP load run, which is a timed run rather than a micro-benchmark:
//   dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detect-load [seconds] [callers] [max units] [batch window ms]
if (args.Length > 0 && args[0] == "detect-load")
{
    return await DetectLoadRun.RunAsync(args[1..]);
}

// ... and today's one-run-per-request path against dynamic batching, interleaved, at 1/4/16/64 callers in process and
// over HTTP, then at 200 callers over HTTP: -- detect-batching [seconds per cell] [rounds] [batch window ms] [max batch] [200-caller seconds]
if (args.Length > 0 && args[0] == "detect-batching")
{
    return await DetectBatchingRun.RunAsync(args[1..]);
}

// ... and YOLOX-Nano's mAP on coco128 through the evaluator: -- yolox-coco128
if (args.Length > 0 && args[0] == "yolox-coco128")
{
    return YoloXCoco128Run.Run();
}

// ... and YOLOX-Nano fine-tuned on coco128 beside its own head: -- detector-finetune-coco128 [epochs] [trained stages] [learning rate] [labels|all] [fine-tuned weight]
if (args.Length > 0 && args[0] == "detector-finetune-coco128")
{
    return await Coco128FineTuneRun.RunAsync(args[1..]);
}

// ... and a YOLOv8 or YOLOv5 export (a file you name) fine-tuned on coco128 beside its own head: -- ultralytics-finetune-coco128 path/to/yolov8n.onnx [epochs] [trained stages] [learning rate]
if (args.Length > 0 && args[0] == "ultralytics-finetune-coco128")
{
    return await UltralyticsCoco128FineTuneRun.RunAsync(args[1..]);
}

// ... and the fine-tuning defaults chosen by 2-fold cross-validation on coco128's training photos: -- detector-finetune-cv [epochs,...] [rates,...] [stages] [mosaic/mixup,...] [scales,...] [fine-tuned weights,...]
if (args.Length > 0 && args[0] == "detector-finetune-cv")
{
    return await FineTuneCrossValidationRun.RunAsync(args[1..]);
}

// ... and an ants-vs-bees classifier asked about photos of neither, without and with negative examples: -- negatives-hymenoptera
if (args.Length > 0 && args[0] == "negatives-hymenoptera")
{
    return await Rekognition.Benchmarks.Training.NegativeExamplesRun.RunAsync();
}

// ... and the built-in detector trained on a generated dataset: -- detector-synthetic [images] [epochs]
if (args.Length > 0 && args[0] == "detector-synthetic")
{
    return await SyntheticDetectorRun.RunAsync(args[1..]);
}

// ... and detection transfer on coco128 from the YOLOX-Nano neck: -- detector-coco128 [epochs] [fine-tuned convolutions]
if (args.Length > 0 && args[0] == "detector-coco128")
{
    return await Coco128TransferRun.RunAsync(args[1..]);
}

// ... and head-only transfer against logistic regression on the same hymenoptera features: -- hymenoptera-cv [folder]
if (args.Length > 0 && args[0] == "hymenoptera-cv")
{
    return Rekognition.Benchmarks.Training.HymenopteraCrossValidationRun.Run(args[1..]);
}

// ... and the small-ResNet training step against its PyTorch peer, in interleaved rounds: -- resnet-vs-pytorch [rounds]
if (args.Length > 0 && args[0] == "resnet-vs-pytorch")
{
    return Rekognition.Benchmarks.Training.ResNetVersusPyTorchRun.Run(args[1..]);
}

// ... and the built-in detector's training step against its PyTorch peer, interleaved, same threads: -- detector-vs-pytorch [rounds] [threads] [custom|standard|profile]
if (args.Length > 0 && args[0] == "detector-vs-pytorch")
{
    return DetectorVersusPyTorchRun.Run(args[1..]);
}

// ... and each C# training kernel against the standard ops it replaces, layer by layer: -- training-kernels [steps]
if (args.Length > 0 && args[0] == "training-kernels")
{
    return Rekognition.Benchmarks.Training.TrainingKernelsRun.Run(args[1..]);
}

// ... and the classic MNIST CNN's epoch against its PyTorch peer, interleaved, same threads: -- mnist-vs-pytorch [rounds] [threads]
if (args.Length > 0 && args[0] == "mnist-vs-pytorch")
{
    return Rekognition.Benchmarks.Training.MnistVersusPyTorchRun.Run(args[1..]);
}

// ... and the default backbone's settings chosen by cross-validation on training photos only: -- resnet18-cv [heads|finetune|mirror|all]
if (args.Length > 0 && args[0] == "resnet18-cv")
{
    return Rekognition.Benchmarks.Training.ResNet18CrossValidationRun.Run(args[1..]);
}

// ... and the built-in detector on the default backbone against from scratch: -- detector-resnet18 [synthetic|coco128] [epochs] [images]
if (args.Length > 0 && args[0] == "detector-resnet18")
{
    return await DetectorBackboneComparisonRun.RunAsync(args[1..]);
}

// ... and the defaults measured once on held-out photos (hymenoptera val, a generated test set): -- default-backbone-eval
if (args.Length > 0 && args[0] == "default-backbone-eval")
{
    return await Rekognition.Benchmarks.Training.DefaultBackboneEvaluationRun.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
