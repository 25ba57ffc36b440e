"""Tests of nn_from_scratch.datasets: the offline California Housing loader.

Nothing here touches the network, and everything written goes to pytest's
temporary directories.
"""

import gzip
import hashlib
import os
import urllib.error
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn.datasets

from nn_from_scratch import datasets
from nn_from_scratch.datasets import fetch_california_housing


# The raw columns of StatLib's cal_housing.data, in the file's order.
RAW_COLUMNS = [
    "longitude",
    "latitude",
    "housingMedianAge",
    "totalRooms",
    "totalBedrooms",
    "population",
    "households",
    "medianIncome",
    "medianHouseValue",
]


def shipped_table():
    """The shipped copy as a (20640, 9) array: the 8 features, then the target."""
    with gzip.open(datasets.SHIPPED_COPY, "rb") as file:
        return np.loadtxt(file, delimiter=",", skiprows=1)


def raw_columns(table):
    """Rebuild the raw StatLib columns from the derived features.

    The counts (households, rooms, bedrooms) and the house value are whole
    numbers in the raw file; the features are ratios of them, so rounding
    undoes the division.
    """
    med_inc, house_age, ave_rooms, ave_bedrms, population, ave_occup, latitude, longitude, value = (
        table.T
    )
    households = np.round(population / ave_occup)
    raw = {
        "longitude": longitude,
        "latitude": latitude,
        "housingMedianAge": house_age,
        "totalRooms": np.round(ave_rooms * households),
        "totalBedrooms": np.round(ave_bedrms * households),
        "population": population,
        "households": households,
        "medianIncome": med_inc,
        "medianHouseValue": np.round(value * 100000),
    }
    return np.column_stack([raw[name] for name in RAW_COLUMNS])


def write_scikit_learn_cache(data_home):
    """Write the file scikit-learn 1.9 caches California Housing in, built from the shipped copy.

    scikit-learn parses cal_housing.data, reorders its columns with
    ``[8, 7, 2, 3, 4, 5, 6, 1, 0]`` (target first) and stores the array with
    ``joblib.dump(..., compress=6)`` as ``cal_housing_py3.pkz`` in ``data_home``;
    see sklearn/datasets/_california_housing.py.
    """
    raw = raw_columns(shipped_table())
    joblib.dump(
        raw[:, [8, 7, 2, 3, 4, 5, 6, 1, 0]],
        os.path.join(data_home, "cal_housing_py3.pkz"),
        compress=6,
    )


def test_the_raw_columns_are_rebuilt_exactly():
    table = shipped_table()
    raw = raw_columns(table)
    column = {name: raw[:, i] for i, name in enumerate(RAW_COLUMNS)}
    # The rebuilt counts are whole numbers, and the raw file has no zero households.
    for name in ["totalRooms", "totalBedrooms", "population", "households", "medianHouseValue"]:
        assert np.array_equal(column[name], np.round(column[name]))
    assert column["households"].min() >= 1
    # scikit-learn's formulas, applied to the rebuilt columns, give back every feature bit for bit.
    again = np.column_stack(
        [
            column["medianIncome"],
            column["housingMedianAge"],
            column["totalRooms"] / column["households"],
            column["totalBedrooms"] / column["households"],
            column["population"],
            column["population"] / column["households"],
            column["latitude"],
            column["longitude"],
            column["medianHouseValue"] / 100000.0,
        ]
    )
    assert np.array_equal(again, table)


def test_the_shipped_copy_has_the_documented_checksum():
    digest = hashlib.sha256(datasets.SHIPPED_COPY.read_bytes()).hexdigest()
    assert digest == datasets.SHIPPED_SHA256
    readme = (Path(datasets.__file__).parent / "data" / "README.md").read_text(encoding="utf-8")
    assert datasets.SHIPPED_SHA256 in readme


def test_a_damaged_copy_is_refused(tmp_path, monkeypatch):
    damaged = bytearray(datasets.SHIPPED_COPY.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    copy = tmp_path / "california_housing.csv.gz"
    copy.write_bytes(bytes(damaged))
    monkeypatch.setattr(datasets, "SHIPPED_COPY", copy)
    actual = hashlib.sha256(bytes(damaged)).hexdigest()

    with pytest.raises(ValueError) as error:
        fetch_california_housing(data_home=tmp_path / "empty")
    assert datasets.SHIPPED_SHA256 in str(error.value)
    assert actual in str(error.value)


def test_both_paths_agree_offline(tmp_path):
    cached = tmp_path / "cached"
    cached.mkdir()
    write_scikit_learn_cache(cached)

    theirs = sklearn.datasets.fetch_california_housing(data_home=cached, download_if_missing=False)
    ours = fetch_california_housing(data_home=cached)
    shipped = fetch_california_housing(data_home=tmp_path / "empty")

    assert ours.DESCR == theirs.DESCR  # scikit-learn's cache was used
    assert "shipped with nn_from_scratch" in shipped.DESCR  # the shipped copy was used
    for bunch in (ours, shipped):
        assert bunch.data.dtype == np.float64 and bunch.target.dtype == np.float64
        assert bunch.data.shape == (20640, 8) and bunch.target.shape == (20640,)
        assert np.array_equal(bunch.data, theirs.data)
        assert np.array_equal(bunch.target, theirs.target)
        assert bunch.feature_names == theirs.feature_names
        assert bunch.target_names == theirs.target_names
        assert bunch.frame is None
    assert sorted(shipped.keys()) == sorted(theirs.keys())


def test_return_X_y(tmp_path):
    X, y = fetch_california_housing(data_home=tmp_path, return_X_y=True)
    assert X.shape == (20640, 8) and y.shape == (20640,)
    assert X[0].tolist()[:2] == [8.3252, 41.0] and float(y[0]) == 4.526


def test_a_failed_download_warns_and_reads_the_shipped_copy(tmp_path, monkeypatch):
    def offline(*, data_home=None, download_if_missing=True, **kwargs):
        if not download_if_missing:
            raise OSError("Data not found and `download_if_missing` is False")
        raise urllib.error.URLError("no network here")

    monkeypatch.setattr(sklearn.datasets, "fetch_california_housing", offline)
    with pytest.warns(UserWarning, match="could not download.*no network here"):
        X, y = fetch_california_housing(
            data_home=tmp_path, download_if_missing=True, return_X_y=True
        )
    assert X.shape == (20640, 8) and y.shape == (20640,)


def test_scikit_learn_takes_the_download_arguments_passed_on():
    # The fake download above takes any argument; scikit-learn's own takes n_retries
    # and delay since 1.5, the lowest version pyproject.toml allows (nox -s tests_lowest).
    import inspect

    parameters = inspect.signature(sklearn.datasets.fetch_california_housing).parameters
    assert {"data_home", "download_if_missing", "n_retries", "delay"} <= set(parameters)


@pytest.mark.parametrize(
    "arguments, error, message",
    [
        ({"as_frame": True}, ValueError, "as_frame=True is not supported"),
        ({"return_X_y": "yes"}, TypeError, "expected return_X_y to be True or False, got 'yes'"),
        (
            {"download_if_missing": 1},
            TypeError,
            "expected download_if_missing to be True or False, got 1",
        ),
        ({"data_home": 42}, ValueError, "data_home"),
    ],
)
def test_bad_arguments_are_refused(tmp_path, arguments, error, message):
    arguments.setdefault("data_home", tmp_path)
    with pytest.raises(error, match=message):
        fetch_california_housing(**arguments)
