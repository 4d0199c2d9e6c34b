"""The dense layers bench/scalesim_crosscheck.py runs on SCALE-Sim v2 and on `enos simulate`.

Each layer: (name, where it comes from, C, K, H, W, R, S, stride, pad), the convolution as the
network computes it (padding included). SCALE-Sim has no padding and no groups, so every layer
is dense, and both tools get it in SCALE-Sim's form (scalesim_form): the input rows and columns
the windows actually read, padding zeros included, and no padding. Fully connected layers are
1x1 convolutions on a 1x1 map.
"""

# From the shipped CIFAR workloads (configs/workloads/*_32x32x3.json): their distinct dense
# convolutions and fully connected layers (grouped and depthwise ones cannot be expressed).
WORKLOADS = [
    ("s05.conv1", "shufflenetv2_x0.5 conv1.0", 3, 24, 32, 32, 3, 3, 1, 1),
    ("s05.s2.pw", "shufflenetv2_x0.5 stage2.0.branch2.0", 24, 24, 32, 32, 1, 1, 1, 0),
    ("s05.s3.pw", "shufflenetv2_x0.5 stage3.0.branch2.0", 48, 48, 16, 16, 1, 1, 1, 0),
    ("s05.s4.pw", "shufflenetv2_x0.5 stage4.0.branch2.0", 96, 96, 8, 8, 1, 1, 1, 0),
    ("s05.conv5", "shufflenetv2_x0.5 conv5.0", 192, 1024, 4, 4, 1, 1, 1, 0),
    ("s05.fc", "shufflenetv2_x0.5 fc", 1024, 10, 1, 1, 1, 1, 1, 0),
    ("s10.s2.pw", "shufflenetv2_x1.0 stage2.0.branch2.0", 24, 58, 32, 32, 1, 1, 1, 0),
    ("s10.s2.pw5", "shufflenetv2_x1.0 stage2.0.branch2.5", 58, 58, 16, 16, 1, 1, 1, 0),
    ("s10.s3.pw", "shufflenetv2_x1.0 stage3.0.branch2.0", 116, 116, 16, 16, 1, 1, 1, 0),
    ("s10.s4.b1", "shufflenetv2_x1.0 stage4.0.branch1.2", 232, 232, 4, 4, 1, 1, 1, 0),
    ("s10.s4.pw", "shufflenetv2_x1.0 stage4.0.branch2.0", 232, 232, 8, 8, 1, 1, 1, 0),
    ("s10.conv5", "shufflenetv2_x1.0 conv5.0", 464, 1024, 4, 4, 1, 1, 1, 0),
    ("sq.conv1", "squeezenet1_1 features.0", 3, 64, 32, 32, 3, 3, 1, 1),
    ("sq.f3.sq", "squeezenet1_1 features.3.squeeze", 64, 16, 16, 16, 1, 1, 1, 0),
    ("sq.f3.e1", "squeezenet1_1 features.3.expand1x1", 16, 64, 16, 16, 1, 1, 1, 0),
    ("sq.f3.e3", "squeezenet1_1 features.3.expand3x3", 16, 64, 16, 16, 3, 3, 1, 1),
    ("sq.f6.e3", "squeezenet1_1 features.6.expand3x3", 32, 128, 8, 8, 3, 3, 1, 1),
    ("sq.f7.sq", "squeezenet1_1 features.7.squeeze", 256, 32, 8, 8, 1, 1, 1, 0),
    ("sq.f9.e3", "squeezenet1_1 features.9.expand3x3", 48, 192, 4, 4, 3, 3, 1, 1),
    ("sq.f11.e1", "squeezenet1_1 features.11.expand1x1", 64, 256, 4, 4, 1, 1, 1, 0),
    ("sq.f11.e3", "squeezenet1_1 features.11.expand3x3", 64, 256, 4, 4, 3, 3, 1, 1),
    ("sq.f12.sq", "squeezenet1_1 features.12.squeeze", 512, 64, 4, 4, 1, 1, 1, 0),
    ("sq.conv10", "squeezenet1_1 classifier.1", 512, 10, 4, 4, 1, 1, 1, 0),
    ("s1.s2.pw", "shufflenetv1_g3 stage2.0.conv1", 24, 60, 32, 32, 1, 1, 1, 0),
    ("s1.fc", "shufflenetv1_g3 fc", 960, 10, 1, 1, 1, 1, 1, 0),
]

# ResNet-18 for CIFAR: the four 3x3 shapes of issue 15's speed figure (94 M MACs) and a 1x1
# shortcut; MobileNet for CIFAR: its first convolution and pointwise layers.
RESNET = [
    ("rn.l1.3x3", "ResNet-18 CIFAR layer1 3x3", 64, 64, 32, 32, 3, 3, 1, 1),
    ("rn.l2.3x3s2", "ResNet-18 CIFAR layer2.0 3x3 stride 2", 64, 128, 32, 32, 3, 3, 2, 1),
    ("rn.l3.3x3s2", "ResNet-18 CIFAR layer3.0 3x3 stride 2", 128, 256, 16, 16, 3, 3, 2, 1),
    ("rn.l4.3x3s2", "ResNet-18 CIFAR layer4.0 3x3 stride 2", 256, 512, 8, 8, 3, 3, 2, 1),
    ("rn.l2.down", "ResNet-18 CIFAR layer2.0 1x1 shortcut", 64, 128, 32, 32, 1, 1, 2, 0),
]
MOBILENET = [
    ("mb.conv1", "MobileNet CIFAR conv1 3x3", 3, 32, 32, 32, 3, 3, 1, 1),
    ("mb.pw1", "MobileNet CIFAR pointwise 32-64", 32, 64, 32, 32, 1, 1, 1, 0),
    ("mb.pw4", "MobileNet CIFAR pointwise 128-128", 128, 128, 16, 16, 1, 1, 1, 0),
    ("mb.pw6", "MobileNet CIFAR pointwise 256-256", 256, 256, 8, 8, 1, 1, 1, 0),
    ("mb.pw10", "MobileNet CIFAR pointwise 512-512", 512, 512, 4, 4, 1, 1, 1, 0),
    ("mb.pw13", "MobileNet CIFAR pointwise 1024-1024", 1024, 1024, 2, 2, 1, 1, 1, 0),
]

ALL = WORKLOADS + RESNET + MOBILENET

# Run on every array: the lighter layers, one of each kind (3x3, strided 3x3, 1x1 at each map
# size, FC). The 16x16 array runs ALL.
SMALL = ["s05.conv1", "s05.s2.pw", "s05.s4.pw", "s05.conv5", "s05.fc", "s10.s3.pw", "sq.f3.e3",
         "sq.f9.e3", "sq.f12.sq", "rn.l2.down", "mb.pw4", "mb.pw13"]

# The bandwidth-limited comparison (SCALE-Sim's USER mode is several times slower than its CALC
# mode): a 3x3, a strided 1x1, two pointwise layers and an FC.
LIMITED = ["s05.conv1", "s05.s4.pw", "sq.f3.e3", "sq.f12.sq", "rn.l2.down", "s05.fc"]

# (rows, cols, layers): square and non-square arrays.
ARRAYS = [(16, 16, None), (32, 32, SMALL), (8, 32, SMALL), (32, 8, SMALL), (12, 14, SMALL)]


def out_size(n, k, stride, pad):
    return (n + 2 * pad - k) // stride + 1


def scalesim_form(layer):
    """The layer without padding: (C, K, H, W, R, S, stride) over exactly the input rows and
    columns its windows read. SCALE-Sim's output size, ceil((H - R + stride) / stride), then
    equals the network's, and so do both tools' work."""
    _, _, C, K, H, W, R, S, stride, pad = layer
    P, Q = out_size(H, R, stride, pad), out_size(W, S, stride, pad)
    return C, K, (P - 1) * stride + R, (Q - 1) * stride + S, R, S, stride


def macs(layer):
    C, K, H, W, R, S, stride = scalesim_form(layer)
    return K * C * R * S * out_size(H, R, stride, 0) * out_size(W, S, stride, 0)


def select(names):
    return ALL if names is None else [l for l in ALL if l[0] in names]
