"""The PyTorch contender of chapter 5c's speed table, run by ``benchmarks/run.py --torch``.

The digits network of chapter 6 as PyTorch writes it: 64-32-10 sigmoid neurons
in float64, the book's mean loss, plain gradient descent at the same learning
rate, batches sliced by index from a shuffled copy of the training set, and
the total error over the training set after each epoch, as the book's
``train`` measures it. It starts from the weights of a SpeedyNeuralNetwork.
"""

import torch


torch.set_num_threads(1)  # one thread, as for every contender


def network_like(speedy):
    """A PyTorch network holding the weights and biases of a SpeedyNeuralNetwork, sigmoids."""
    modules = []
    for layer in speedy.layers:
        linear = torch.nn.Linear(*layer.weights.shape, dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(layer.weights.T))  # PyTorch keeps (out, in)
            linear.bias.copy_(torch.from_numpy(layer.biases[0]))
        modules += [linear, torch.nn.Sigmoid()]
    return torch.nn.Sequential(*modules)


def mean_loss(outputs, targets):
    """The book's loss: the mean over the batch of 1/2 * sum((y - t)**2)."""
    return 0.5 * ((outputs - targets) ** 2).sum(1).mean()


def step(network, optimizer, inputs, targets):
    """One step on a batch: what SpeedyNeuralNetwork.backpropagate does."""
    optimizer.zero_grad()
    mean_loss(network(inputs), targets).backward()
    optimizer.step()


def train(network, inputs, targets, epochs, learning_rate, batch_size):
    """The book's train with shuffle=True and a batch_size; the total error after each epoch."""
    optimizer = torch.optim.SGD(network.parameters(), lr=learning_rate)
    history = []
    for _ in range(epochs):
        order = torch.randperm(len(inputs))
        inputs_in_order, targets_in_order = inputs[order], targets[order]
        for start in range(0, len(inputs), batch_size):
            end = start + batch_size
            step(network, optimizer, inputs_in_order[start:end], targets_in_order[start:end])
        with torch.no_grad():  # one forward pass of the whole training set
            history.append(float(((targets - network(inputs)) ** 2).sum()))
    return history
