namespace Rekognition.Core.Evaluation;

/// <summary>What kind of model produced the predictions; decides how predictions meet the ground truth.</summary>
internal enum EvaluationTaskType
{
    /// <summary>Image-level labels (single- or multi-label). A prediction matches an image-level ground-truth label of the same name.</summary>
    ImageClassification,

    /// <summary>Bounding boxes. A prediction matches a ground-truth box of the same label with IoU of at least 0.5.</summary>
    ObjectDetection,
}
