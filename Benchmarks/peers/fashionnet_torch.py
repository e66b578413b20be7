#!/usr/bin/env python3
"""FashionNet in PyTorch, the peer of `ast train --policy full` (Benchmarks/peers/README.md).

Same network as Sources/ASTTrain/Model/FashionNet.swift (valid 5x5 convolutions 1->32 and
32->64, each followed by ReLU and 2x2 max-pooling; dense 1024->128, ReLU; dense 128->10),
the same initialisation (He-normal N(0, 2/fan_in) weights, zero biases), the same data
normalisation (per-channel mean and population standard deviation of the training pixels
scaled to [0, 1]) and the same optimiser as `ast train`'s defaults (SGD, momentum 0.9,
weight decay 5e-4, no Nesterov; learning rate 0.01 after a 100-step linear warm-up; batch
128, the last partial batch kept; a fresh shuffle per epoch).

Prints one JSON object: the seconds of the training loop (forward, loss, backward, update;
data loading and evaluation excluded, as in ast's `seconds_total`), the test accuracy and
the thread count.
"""
import argparse
import gzip
import json
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn


def read_idx(path: Path) -> np.ndarray:
    """Reads a gzip-compressed IDX file (big-endian header: magic, then one size per dimension)."""
    data = gzip.open(path, "rb").read()
    dimensions = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dimensions)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dimensions).reshape(shape)


def fashion_net() -> nn.Sequential:
    model = nn.Sequential(
        nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(1024, 128), nn.ReLU(),
        nn.Linear(128, 10),
    )
    for module in model:
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            # He-normal over fan-in: std = sqrt(2 / fan_in), as Network.initialiseWeights.
            nn.init.kaiming_normal_(module.weight, mode="fan_in", nonlinearity="relu")
            nn.init.zeros_(module.bias)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--train-limit", type=int)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    directory = Path(args.data_dir)
    train_images = read_idx(directory / "train-images-idx3-ubyte.gz")
    train_labels = read_idx(directory / "train-labels-idx1-ubyte.gz")
    test_images = read_idx(directory / "t10k-images-idx3-ubyte.gz")
    test_labels = read_idx(directory / "t10k-labels-idx1-ubyte.gz")
    if args.train_limit:
        train_images, train_labels = train_images[: args.train_limit], train_labels[: args.train_limit]
    scaled = train_images.astype(np.float64) / 255
    mean, std = scaled.mean(), scaled.std()

    def tensor(images: np.ndarray) -> torch.Tensor:
        normalised = ((images.astype(np.float64) / 255 - mean) / std).astype(np.float32)
        return torch.from_numpy(normalised).unsqueeze(1).contiguous()

    x_train, y_train = tensor(train_images), torch.from_numpy(train_labels.astype(np.int64))
    x_test, y_test = tensor(test_images), torch.from_numpy(test_labels.astype(np.int64))

    model = fashion_net()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
    loss_function = nn.CrossEntropyLoss()
    step = 0
    epoch_seconds = []
    generator = torch.Generator().manual_seed(args.seed)
    for _ in range(args.epochs):
        order = torch.randperm(len(x_train), generator=generator)
        model.train()
        start = time.perf_counter()
        for first in range(0, len(x_train), args.batch_size):
            index = order[first: first + args.batch_size]
            rate = args.lr * min(1.0, (step + 1) / args.warmup) if args.warmup > 0 else args.lr
            for group in optimizer.param_groups:
                group["lr"] = rate
            optimizer.zero_grad(set_to_none=False)
            loss = loss_function(model(x_train[index]), y_train[index])
            loss.backward()
            optimizer.step()
            step += 1
        epoch_seconds.append(time.perf_counter() - start)

    model.eval()
    with torch.no_grad():
        correct = sum(int((model(x_test[i: i + 1000]).argmax(1) == y_test[i: i + 1000]).sum())
                      for i in range(0, len(x_test), 1000))
    print(json.dumps({
        "trainer": f"pytorch {torch.__version__}",
        "threads": torch.get_num_threads(),
        "epoch_seconds": epoch_seconds,
        "seconds": sum(epoch_seconds),
        "samples": len(x_train) * args.epochs,
        "test_accuracy": correct / len(x_test),
    }))


if __name__ == "__main__":
    main()
