using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;

namespace Rekognition.Training.Gradients;

/// <summary>Gemm Y = α·op(A)·op(B) + β·C: each operand's gradient is one more Gemm with the transposes swapped.</summary>
internal sealed class GemmGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var dy = outputGradients[0]!;
        var a = node.Input[0];
        var b = node.Input[1];
        var alpha = OnnxAttributes.GetFloat(node, "alpha", 1f);
        var beta = OnnxAttributes.GetFloat(node, "beta", 1f);
        var transA = OnnxAttributes.GetInt(node, "transA", 0) != 0;
        var transB = OnnxAttributes.GetInt(node, "transB", 0) != 0;
        if (context.NeedsGradient(a))
        {
            // dA = α·dY·op(B)ᵀ, transposed back when A was.
            inputGradients[0] = transA
                ? Gemm(e, b, dy, transB, true, alpha)
                : Gemm(e, dy, b, false, !transB, alpha);
        }

        if (context.NeedsGradient(b))
        {
            // dB = α·op(A)ᵀ·dY, transposed back when B was.
            inputGradients[1] = transB
                ? Gemm(e, dy, a, true, transA, alpha)
                : Gemm(e, a, dy, !transA, false, alpha);
        }

        if (node.Input.Count > 2 && context.NeedsGradient(node.Input[2]))
        {
            var dc = beta == 1f ? dy : e.Mul(dy, e.Scalar(beta));
            inputGradients[2] = context.Unbroadcast(dc, context.Shape(node.Output[0]), context.Shape(node.Input[2]));
        }
    }

    private static string Gemm(GraphEmitter e, string a, string b, bool transA, bool transB, float alpha) =>
        e.Op("Gemm", new[] { a, b }, OnnxAttributes.Int("transA", transA ? 1 : 0), OnnxAttributes.Int("transB", transB ? 1 : 0), OnnxAttributes.Float("alpha", alpha));
}

/// <summary>MatMul of rank ≥ 2 operands: dA = dY·Bᵀ, dB = Aᵀ·dY, summed over broadcast batch axes.</summary>
internal sealed class MatMulGradient : IOpGradient
{
    public void Backward(NodeProto node, string?[] outputGradients, string?[] inputGradients, GradientContext context)
    {
        var e = context.Emit;
        var dy = outputGradients[0]!;
        var a = node.Input[0];
        var b = node.Input[1];
        var sa = context.Shape(a);
        var sb = context.Shape(b);
        var sy = context.Shape(node.Output[0]);
        if (sa.Length < 2 || sb.Length < 2)
        {
            throw new NotSupportedException("MatMul gradients need operands of rank 2 or more.");
        }

        if (context.NeedsGradient(a))
        {
            var da = e.Op("MatMul", new[] { dy, e.Transpose(b, SwapLast(sb.Length)) });
            inputGradients[0] = context.Unbroadcast(da, sy[..^2].Concat(sa[^2..]).ToArray(), sa);
        }

        if (context.NeedsGradient(b))
        {
            if (sb.Length == 2)
            {
                // A weight shared across the batch: one GEMM over all rows instead of a batched product and a sum.
                var k = sa[^1];
                var m = sy[^1];
                var a2 = sa.Length == 2 ? a : e.Reshape(a, -1, k);
                var dy2 = sy.Length == 2 ? dy : e.Reshape(dy, -1, m);
                inputGradients[1] = e.Op("Gemm", new[] { a2, dy2 }, OnnxAttributes.Int("transA", 1));
            }
            else
            {
                var db = e.Op("MatMul", new[] { e.Transpose(a, SwapLast(sa.Length)), dy });
                inputGradients[1] = context.Unbroadcast(db, sy[..^2].Concat(sb[^2..]).ToArray(), sb);
            }
        }
    }

    private static long[] SwapLast(int rank)
    {
        var perm = Enumerable.Range(0, rank).Select(i => (long)i).ToArray();
        (perm[rank - 1], perm[rank - 2]) = (perm[rank - 2], perm[rank - 1]);
        return perm;
    }
}
