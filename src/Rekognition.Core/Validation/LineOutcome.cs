namespace Rekognition.Core.Validation;

/// <summary>What becomes of a validated line.</summary>
internal enum LineOutcome
{
    /// <summary>Usable for training (possibly with some annotations or attributes excluded by errors).</summary>
    Valid,

    /// <summary>Warnings only: stored, not used for training, not counted invalid.</summary>
    Ignored,

    /// <summary>Non-terminal error(s) that exclude the whole line: stored with its errors, counted invalid.</summary>
    Invalid,

    /// <summary>A terminal content error at dataset time (unparsable JSON, missing or malformed source-ref, line too long, duplicate source-ref): not stored, counted invalid.</summary>
    Dropped,
}
