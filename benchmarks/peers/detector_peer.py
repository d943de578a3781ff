"""PyTorch peer of Rekognition's built-in detector: training-step time and inference latency.

What it mirrors (src/Rekognition.Training/Detection):
  * DetectorNetwork.Build(3) with the default options: input 256; backbone of five conv-BN-ReLU stages
    of widths 16, 24, 48, 64, 96 (stage 0 one 3x3 conv at stride 2; stages 1-4 a 3x3 conv at stride 2
    then a 3x3 conv at stride 1; convs before batch norm have no bias); taps after stages 2, 3, 4
    (strides 8, 16, 32); a top-down pyramid of width 48 (1x1 lateral conv with bias, plus the coarser
    level upsampled 2x by nearest neighbour); per level a 3x3 conv-BN-ReLU and a 1x1 conv (with bias)
    to 5 + labels values; the levels' rows concatenated into [N, locations, 5 + labels].
    Initialisation follows ConvLayers (He-uniform before batch norm, uniform +-1/sqrt(fan-in) otherwise,
    prediction weights x0.1, objectness/class biases at the 1 % prior).
  * DetectionLoss: boxes decoded as centre = (offset + cell) * stride, size = exp(min(log size, 10)) * stride;
    (1 - GIoU) at positive locations weighted 5; objectness BCE-with-logits at every location against
    "is positive"; class BCE-with-logits at positive locations against one-hot labels; the sum times the
    normalizer (one over the batch's positive locations).
  * The benchmark's optimizer settings (as DetectorStepBenchmarks; the trainer's defaults differ): AdamW, lr 2e-3, weight decay 5e-4 (betas 0.9/0.999, eps 1e-8), batch 16.
  * Inference as a trained package runs it: batch norms folded into the convs (InferenceGraphExporter),
    decoding to boxes (x1, y1, x2, y2 as ratios of the input) and scores sigmoid(obj) * sigmoid(class)
    (DetectorExport.AppendDecoding), batch 1; no suppression.

Targets are random but valid: about 2 % of locations positive, each with a box inside the image near its
cell and a one-hot label. Images are random normal. Threads: torch.set_num_threads(2) by default, as the
trainer's default of 2 intra-op threads. OMP_WAIT_POLICY defaults to PASSIVE (see below); set it to ACTIVE
on an idle, dedicated machine to let OpenMP spin.

Run (needs torch; on Debian the system interpreter has python3-torch):
    /usr/bin/python3 benchmarks/peers/detector_peer.py [--steps 10] [--warmup 3] [--images 50] [--threads 2]
The C# counterpart is benchmarks/Rekognition.Benchmarks/Detection/DetectorStepBenchmarks.cs:
    dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- --filter '*DetectorStep*'
and the interleaved runner that times both in alternating rounds with the same threads:
    dotnet run -c Release --project benchmarks/Rekognition.Benchmarks -- detector-vs-pytorch [rounds] [threads]

Output, one parseable line per figure:
    PEER params <count>
    PEER train_step_ms median=<ms> min=<ms> max=<ms> n=<steps> batch=16 size=256 threads=<t> ...
    PEER infer_image_ms median=<ms> min=<ms> max=<ms> n=<images> batch=1 size=256 threads=<t> ...
"""

import argparse
import math
import os
import statistics
import time

# OpenMP's default busy-waiting collapses when the cores are shared (a step took 2-8x longer on a loaded
# two-core machine); passive waiting unless the caller set a policy. Must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

STRIDES = (8, 16, 32)
PRIOR = 0.01
MAX_LOG_SIZE = 10.0
BOX_WEIGHT = 5.0
EPS = 1e-7


def _uniform_(tensor, bound):
    with torch.no_grad():
        tensor.uniform_(-bound, bound)


class ConvBnRelu(nn.Module):
    """3x3 (or k x k) conv without bias, 'same' padding, batch norm (eps 1e-5, ONNX momentum 0.9), ReLU."""

    def __init__(self, cin, cout, k=3, stride=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5, momentum=0.1)
        _uniform_(self.conv.weight, math.sqrt(6.0 / (cin * k * k)))

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))

    def fused(self):
        """The conv with the batch norm's running statistics folded in, followed by ReLU (as the export does)."""
        conv = nn.Conv2d(self.conv.in_channels, self.conv.out_channels, self.conv.kernel_size,
                         stride=self.conv.stride, padding=self.conv.padding, bias=True)
        with torch.no_grad():
            scale = self.bn.weight / torch.sqrt(self.bn.running_var + self.bn.eps)
            conv.weight.copy_(self.conv.weight * scale.reshape(-1, 1, 1, 1))
            conv.bias.copy_(self.bn.bias - self.bn.running_mean * scale)
        return nn.Sequential(conv, nn.ReLU())


def plain_conv(cin, cout, k, weight_scale=1.0, bias_init=None):
    conv = nn.Conv2d(cin, cout, k, stride=1, padding=k // 2, bias=True)
    bound = 1.0 / math.sqrt(cin * k * k)
    _uniform_(conv.weight, bound * weight_scale)
    if bias_init is None:
        _uniform_(conv.bias, bound)
    else:
        with torch.no_grad():
            conv.bias.copy_(bias_init)
    return conv


class Detector(nn.Module):
    def __init__(self, labels=3, widths=(16, 24, 48, 64, 96), pyramid=48, top_down=True):
        super().__init__()
        self.labels = labels
        self.top_down = top_down
        stages = []
        cin = 3
        for s, c in enumerate(widths):
            layers = [ConvBnRelu(cin, c, 3, 2)]
            if s > 0:
                layers.append(ConvBnRelu(c, c, 3, 1))
            stages.append(nn.Sequential(*layers))
            cin = c
        self.stages = nn.ModuleList(stages)
        taps = widths[2:]
        self.laterals = nn.ModuleList(plain_conv(c, pyramid, 1) for c in taps)
        width = 5 + labels
        bias = torch.zeros(width)
        bias[4:] = -math.log((1 - PRIOR) / PRIOR)
        self.heads = nn.ModuleList(ConvBnRelu(pyramid, pyramid, 3, 1) for _ in taps)
        self.predictions = nn.ModuleList(plain_conv(pyramid, width, 1, 0.1, bias) for _ in taps)

    def forward(self, x):
        taps = []
        for s, stage in enumerate(self.stages):
            x = stage(x)
            if s >= 2:
                taps.append(x)
        levels = [None] * len(taps)
        for l in range(len(taps) - 1, -1, -1):
            lateral = self.laterals[l](taps[l])
            if self.top_down and l < len(taps) - 1:
                lateral = lateral + F.interpolate(levels[l + 1], scale_factor=2, mode="nearest")
            levels[l] = lateral
        rows = []
        for l, level in enumerate(levels):
            p = self.predictions[l](self.heads[l](level))
            rows.append(p.flatten(2).transpose(1, 2))
        return torch.cat(rows, dim=1)

    def fuse_batch_norms(self):
        """In place: every conv-BN-ReLU becomes conv(with bias)-ReLU, as InferenceGraphExporter folds them."""
        for stage in self.stages:
            for i, m in enumerate(stage):
                stage[i] = m.fused()
        for i, m in enumerate(self.heads):
            self.heads[i] = m.fused()
        return self


def grid(size):
    """Each location's cell (x, y) and stride, levels in stride order, cells row by row (DetectionGrid)."""
    cells, strides = [], []
    for s in STRIDES:
        n = size // s
        ys, xs = torch.meshgrid(torch.arange(n), torch.arange(n), indexing="ij")
        cells.append(torch.stack([xs.reshape(-1), ys.reshape(-1)], dim=1).float())
        strides.append(torch.full((n * n, 1), float(s)))
    return torch.cat(cells).unsqueeze(0), torch.cat(strides).unsqueeze(0)


def decode(raw, cells, strides, cap=True):
    centre = (raw[..., 0:2] + cells) * strides
    logsize = raw[..., 2:4]
    if cap:
        logsize = torch.clamp(logsize, max=MAX_LOG_SIZE)
    half = torch.exp(logsize) * strides * 0.5
    return torch.cat([centre - half, centre + half], dim=2)


def giou(p, t):
    px1, py1, px2, py2 = p.unbind(-1)
    tx1, ty1, tx2, ty2 = t.unbind(-1)
    parea = (px2 - px1) * (py2 - py1)
    tarea = (tx2 - tx1) * (ty2 - ty1)
    iw = F.relu(torch.minimum(px2, tx2) - torch.maximum(px1, tx1))
    ih = F.relu(torch.minimum(py2, ty2) - torch.maximum(py1, ty1))
    inter = iw * ih
    union = parea + tarea - inter
    iou = inter / (union + EPS)
    enclosing = (torch.maximum(px2, tx2) - torch.minimum(px1, tx1)) * (torch.maximum(py2, ty2) - torch.minimum(py1, ty1))
    return iou - (enclosing - union) / (enclosing + EPS)


def detection_loss(raw, positive, boxes, classes, normalizer, cells, strides):
    predicted = decode(raw, cells, strides)
    box_term = ((1 - giou(predicted, boxes)) * positive).sum()
    object_term = F.binary_cross_entropy_with_logits(raw[..., 4], positive, reduction="sum")
    class_term = (F.binary_cross_entropy_with_logits(raw[..., 5:], classes, reduction="none") * positive.unsqueeze(2)).sum()
    return (box_term * BOX_WEIGHT + object_term + class_term) * normalizer


def random_targets(n, size, labels, cells, strides, generator):
    """About 2 % of locations positive, each with a box inside the image around its cell and a one-hot label."""
    locations = cells.shape[1]
    positive = (torch.rand(n, locations, generator=generator) < 0.02).float()
    s = strides.expand(n, locations, 1)
    centre = (cells + 0.5).expand(n, locations, 2) * s
    wh = s * (1 + 3 * torch.rand(n, locations, 2, generator=generator))
    x1y1 = torch.clamp(centre - wh / 2, 0, size - 1)
    x2y2 = torch.maximum(torch.clamp(centre + wh / 2, max=size), x1y1 + 1)
    boxes = torch.cat([x1y1, x2y2], dim=2) * positive.unsqueeze(2)
    label = torch.randint(labels, (n, locations), generator=generator)
    classes = F.one_hot(label, labels).float() * positive.unsqueeze(2)
    normalizer = 1.0 / max(int(positive.sum().item()), 1)
    return positive, boxes, classes, torch.tensor(normalizer)


def summary(times):
    ms = [t * 1000 for t in times]
    return f"median={statistics.median(ms):.2f} min={min(ms):.2f} max={max(ms):.2f} n={len(ms)}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10, help="timed training steps (after warm-up)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed warm-up steps and images")
    parser.add_argument("--images", type=int, default=50, help="timed batch-1 inferences")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--labels", type=int, default=3)
    parser.add_argument("--no-fuse", action="store_true", help="keep batch norms separate at inference")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    generator = torch.Generator().manual_seed(1)
    model = Detector(args.labels)
    params = sum(p.numel() for p in model.parameters() if p.requires_grad)
    print(f"PEER params {params}", flush=True)

    cells, strides = grid(args.size)
    images = torch.randn(args.batch, 3, args.size, args.size, generator=generator)
    positive, boxes, classes, normalizer = random_targets(args.batch, args.size, args.labels, cells, strides, generator)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=5e-4)

    model.train()
    times = []
    loss = None
    for i in range(args.warmup + args.steps):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = detection_loss(model(images), positive, boxes, classes, normalizer, cells, strides)
        loss.backward()
        optimizer.step()
        elapsed = time.perf_counter() - start
        if i >= args.warmup:
            times.append(elapsed)
    print(f"PEER train_step_ms {summary(times)} batch={args.batch} size={args.size} threads={args.threads} "
          f"loss={loss.item():.4f}", flush=True)

    model.eval()
    if not args.no_fuse:
        model.fuse_batch_norms()
    image = torch.randn(1, 3, args.size, args.size, generator=generator)
    scale = torch.tensor([args.size, args.size, args.size, args.size], dtype=torch.float32)
    times = []
    with torch.no_grad():
        for i in range(args.warmup + args.images):
            start = time.perf_counter()
            raw = model(image)
            out_boxes = decode(raw, cells, strides, cap=False) / scale
            out_scores = torch.sigmoid(raw[..., 4:5]) * torch.sigmoid(raw[..., 5:])
            elapsed = time.perf_counter() - start
            if i >= args.warmup:
                times.append(elapsed)
    assert out_boxes.shape == (1, cells.shape[1], 4) and out_scores.shape == (1, cells.shape[1], args.labels)
    print(f"PEER infer_image_ms {summary(times)} batch=1 size={args.size} threads={args.threads} "
          f"fused={not args.no_fuse} omp_wait={os.environ['OMP_WAIT_POLICY']}", flush=True)


if __name__ == "__main__":
    main()
