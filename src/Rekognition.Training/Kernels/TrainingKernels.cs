namespace Rekognition.Training.Kernels;

/// <summary>The custom kernels training graphs may use, and their domain.</summary>
internal static class TrainingKernels
{
    /// <summary>The custom domain of the training kernels.</summary>
    public const string Domain = "com.rekognition.training";

    /// <summary>Every kernel of the domain.</summary>
    public static IReadOnlyList<CustomKernel> All { get; } = Array.Empty<CustomKernel>();
}
