#!/usr/bin/python3
"""Writes PyTorch autograd references for whole training graphs (run with the Debian python3-torch).

Each fixture is a small seeded network exported to ONNX (<name>.onnx), plus <name>.bin (raw little-endian
float32/int64 arrays) indexed by <name>.json: the data input, the loss inputs, the loss value and the
gradient of every trainable parameter, all computed by torch autograd with batch norm in training mode.
The C# test FixtureTests builds our training graph for the same ONNX file and loss and compares.

    /usr/bin/python3 tests/Rekognition.Training.Tests/Fixtures/make_fixtures.py
"""
import json
import os

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 17


class ConvBnPool(nn.Module):
    """conv 3x3 + batch norm + relu + max pool 2 + linear: softmax cross-entropy on 3 classes."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        return self.fc(torch.flatten(x, 1))


class DepthwiseResidual(nn.Module):
    """pointwise conv + depthwise 3x3 + hardswish + residual add + global average pool + linear: BCE on 5 labels."""

    def __init__(self):
        super().__init__()
        self.pw = nn.Conv2d(4, 8, 1)
        self.dw = nn.Conv2d(8, 8, 3, padding=1, groups=8, bias=False)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        y = self.pw(x)
        y = y + F.hardswish(self.dw(y))
        y = F.adaptive_avg_pool2d(y, 1)
        return self.fc(torch.flatten(y, 1))


class NearestFpn(nn.Module):
    """two strided convs, the coarse map upsampled (nearest x2) and concatenated with the fine one, a 1x1 head: sigmoid focal loss."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.c2 = nn.Conv2d(4, 4, 3, stride=2, padding=1)
        self.head = nn.Conv2d(8, 3, 1)

    def forward(self, x):
        fine = F.relu(self.c1(x))
        coarse = F.relu(self.c2(fine))
        up = F.interpolate(coarse, scale_factor=2.0, mode="nearest")
        return self.head(torch.cat([fine, up], dim=1))


class BilinearBoxes(nn.Module):
    """a strided conv, bilinear x2 upsampling (half-pixel), a 1x1 head of 4 box parameters per position decoded
    YOLOX-style (centre + offset, size = exp) into (x1, y1, x2, y2): GIoU loss against target boxes."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(3, 6, 3, stride=2, padding=1)
        self.head = nn.Conv2d(6, 4, 1)

    def forward(self, x):
        y = F.interpolate(torch.tanh(self.c1(x)), scale_factor=2.0, mode="bilinear", align_corners=False)
        p = self.head(y).flatten(2).transpose(1, 2)  # [N, positions, 4]
        centre = p[..., 0:2] + 4.0
        half = torch.exp(p[..., 2:4]) * 0.5
        return torch.cat([centre - half, centre + half], dim=-1)


class AlignedResize(nn.Module):
    """a conv, bilinear resizing to a given size with align_corners (a non-integer factor), a 1x1 conv: smooth L1."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(2, 3, 3, padding=1)
        self.head = nn.Conv2d(3, 2, 1)

    def forward(self, x):
        y = F.interpolate(torch.sigmoid(self.c1(x)), size=(7, 9), mode="bilinear", align_corners=True)
        return self.head(y)


def focal(logits, targets, alpha=0.25, gamma=2.0):
    # torchvision's sigmoid_focal_loss, reduction "mean".
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * ((1 - p_t) ** gamma)
    loss = loss * (alpha * targets + (1 - alpha) * (1 - targets))
    return loss.mean()


def giou_loss(boxes, targets, eps=1e-7):
    # torchvision's generalized_box_iou_loss, reduction "mean".
    x1, y1, x2, y2 = boxes.unbind(-1)
    x1g, y1g, x2g, y2g = targets.unbind(-1)
    xi1, yi1 = torch.max(x1, x1g), torch.max(y1, y1g)
    xi2, yi2 = torch.min(x2, x2g), torch.min(y2, y2g)
    inter = (xi2 - xi1).clamp(min=0) * (yi2 - yi1).clamp(min=0)
    union = (x2 - x1) * (y2 - y1) + (x2g - x1g) * (y2g - y1g) - inter
    iou = inter / (union + eps)
    xc1, yc1 = torch.min(x1, x1g), torch.min(y1, y1g)
    xc2, yc2 = torch.max(x2, x2g), torch.max(y2, y2g)
    area_c = (xc2 - xc1) * (yc2 - yc1)
    return (1 - (iou - (area_c - union) / (area_c + eps))).mean()


def write(name, model, x, loss_spec, targets, loss_fn):
    path = os.path.join(HERE, name)
    model.eval()
    # PRESERVE with the module in eval mode: batch norm stays a node (EVAL would fold it into the conv).
    torch.onnx.export(model, x, path + ".onnx", input_names=["input"], output_names=["output"], opset_version=OPSET,
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    model.train()
    output = model(x)
    loss = loss_fn(output, targets)
    params = dict(model.named_parameters())
    grads = torch.autograd.grad(loss, list(params.values()))

    blob = bytearray()
    arrays = {}

    def add(key, array):
        array = np.ascontiguousarray(array)
        kind = "int64" if array.dtype == np.int64 else "float32"
        data = array.astype("<i8" if kind == "int64" else "<f4").tobytes()
        arrays[key] = {"offset": len(blob), "shape": list(array.shape), "dtype": kind}
        blob.extend(data)

    add("input", x.detach().numpy())
    add("targets", targets.detach().numpy())
    for (pname, _), g in zip(params.items(), grads):
        add("grad:" + pname, g.detach().numpy())
    with open(path + ".bin", "wb") as f:
        f.write(bytes(blob))
    index = {
        "onnx": name + ".onnx",
        "data": name + ".bin",
        "output": "output",
        "loss": loss_spec,
        "loss_value": float(loss.item()),
        "parameters": list(params.keys()),
        "arrays": arrays,
    }
    with open(path + ".json", "w") as f:
        json.dump(index, f, indent=1)
        f.write("\n")


def main():
    torch.manual_seed(1234)
    np.random.seed(1234)

    m = ConvBnPool()
    with torch.no_grad():
        # Fresh batch norm has weight = running_var = 1 and bias = running_mean = 0, and the exporter stores
        # equal initializers once (running stats become Identity nodes of the weight); trained values differ.
        m.bn.weight.uniform_(0.5, 1.5)
        m.bn.bias.uniform_(-0.5, 0.5)
        m.bn.running_mean.uniform_(-0.2, 0.2)
        m.bn.running_var.uniform_(0.5, 2.0)
    x = torch.randn(4, 3, 8, 8)
    labels = torch.tensor([0, 2, 1, 2], dtype=torch.int64)
    write("conv_bn_pool_ce", m, x, {"type": "softmax_cross_entropy"}, labels, lambda out, t: F.cross_entropy(out, t))

    m = DepthwiseResidual()
    x = torch.randn(4, 4, 6, 6)
    targets = (torch.rand(4, 5) > 0.5).float()
    write("depthwise_residual_bce", m, x, {"type": "sigmoid_bce"}, targets, lambda out, t: F.binary_cross_entropy_with_logits(out, t))

    m = NearestFpn()
    x = torch.randn(2, 3, 8, 8)
    targets = (torch.rand(2, 3, 4, 4) > 0.7).float()
    write("nearest_fpn_focal", m, x, {"type": "sigmoid_focal", "alpha": 0.25, "gamma": 2.0}, targets, focal)

    m = BilinearBoxes()
    x = torch.randn(2, 3, 6, 6)
    with torch.no_grad():
        reference = m(x)
        # Targets near the predictions (overlapping, every corner apart), plus a disjoint pair.
        targets = reference + (torch.rand_like(reference) * 0.6 + 0.1) * torch.sign(torch.randn_like(reference))
        targets[..., 2:4] = torch.max(targets[..., 2:4], targets[..., 0:2] + 0.2)
        targets[0, 0] = torch.tensor([20.0, 20.0, 21.0, 22.0])
    write("bilinear_boxes_giou", m, x, {"type": "giou"}, targets, giou_loss)

    m = AlignedResize()
    x = torch.randn(2, 2, 4, 5)
    targets = torch.randn(2, 2, 7, 9) * 0.5
    write("aligned_resize_smoothl1", m, x, {"type": "smooth_l1", "beta": 0.5}, targets,
          lambda out, t: F.smooth_l1_loss(out, t, beta=0.5))


if __name__ == "__main__":
    main()
