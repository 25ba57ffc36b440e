"""The training run of Exercise 7's solution (nn_from_scratch/solutions/exercise_7.py), for
run.py to time.

The solution's larger network, trained as chapter 4b trains its 8-8-1 network (the same data
preparation, seed, epochs and learning rate), so that its time can stand next to the chapter's.
"""

from __future__ import annotations


def exercise_7_larger_network():
    """Exercise 7: the solution's 8-16-8-1 network on 200 training districts, 3000 epochs.

    Returns the total squared error over the training districts after the last epoch, so that
    results.json shows that the run is the solution's.
    """
    from nn_from_scratch.solutions import exercise_7

    _, history = exercise_7.network_mae()
    return history[-1]
