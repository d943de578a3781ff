namespace Rekognition.Core.Feedback;

/// <summary>Marks a service collection whose inference runtime is wrapped for feedback recording.</summary>
internal sealed class FeedbackRecordingRegistered;
