"""The dataset loaders give the lessons exactly the data they expect.

These tests read the offline mirror named by $DLCOURSE_DATA_DIR (CI points it at
../shared/data); without it they download the files like a learner would.
"""

import numpy as np
import pytest

from helpers import data

RED_WINE_FEATURES = [
    "fixed acidity",
    "volatile acidity",
    "citric acid",
    "residual sugar",
    "chlorides",
    "free sulfur dioxide",
    "total sulfur dioxide",
    "density",
    "pH",
    "sulphates",
    "alcohol",
]


def test_red_wine():
    df = data.load_red_wine()
    assert df.shape == (1599, 12)
    assert list(df.columns) == RED_WINE_FEATURES + ["quality"]
    assert (df[RED_WINE_FEATURES].dtypes == "float64").all()
    assert df["quality"].dtype == "int64"
    assert df["quality"].between(3, 8).all()
    assert not df.isna().any().any()
    first = df.iloc[0]
    assert first["fixed acidity"] == pytest.approx(7.4)
    assert first["density"] == pytest.approx(0.9978)
    assert first["alcohol"] == pytest.approx(9.4)
    assert first["quality"] == 5


def test_ionosphere():
    df = data.load_ionosphere()
    assert df.shape == (351, 35)
    assert list(df.columns) == [f"V{i}" for i in range(1, 35)] + ["Class"]
    assert (df.drop(columns="Class").dtypes == "float64").all()
    assert df["Class"].value_counts().to_dict() == {"good": 225, "bad": 126}
    assert (df["V2"] == 0).all(), "V2 is constant in the original data; lesson 6 drops it"
    assert df.iloc[0][["V1", "V2", "V3", "V4"]].tolist() == pytest.approx([1, 0, 0.99539, -0.05889])
    assert df.iloc[0]["Class"] == "good"


def test_concrete_uses_full_precision_and_short_names():
    df = data.load_concrete()
    assert df.shape == (1030, 9)
    assert list(df.columns) == ("Cement BlastFurnaceSlag FlyAsh Water Superplasticizer CoarseAggregate "
                                "FineAggregate Age CompressiveStrength").split()
    assert df["Age"].dtype == "int64"
    assert (df.drop(columns="Age").dtypes == "float64").all()
    assert not df.isna().any().any()
    first = df.iloc[0]
    assert first["Cement"] == 540.0 and first["Water"] == 162.0 and first["Age"] == 28
    # The .xls keeps every digit; the rounded CSV copies would say 79.99.
    assert first["CompressiveStrength"] == pytest.approx(79.98611076, abs=1e-8)


def test_auto_mpg_marks_unknown_horsepower_as_missing():
    df = data.load_auto_mpg()
    assert df.shape == (398, 9)
    assert list(df.columns) == "mpg cylinders displacement horsepower weight acceleration model_year origin name".split()
    assert df["horsepower"].dtype == "float64"
    assert df["horsepower"].isna().sum() == 6
    assert df.drop(columns="horsepower").notna().all().all()
    assert df[["cylinders", "model_year"]].dtypes.eq("int64").all()
    assert set(df["origin"]) == {"USA", "Europe", "Japan"}
    assert df["model_year"].between(70, 82).all()
    first = df.iloc[0]
    assert (first["mpg"], first["cylinders"], first["horsepower"], first["weight"]) == (18.0, 8, 130.0, 3504.0)
    assert first["name"] == "chevrolet chevelle malibu"
    assert first["origin"] == "USA"


def test_cereals_turns_minus_one_codes_into_nan():
    df = data.load_cereals()
    assert df.shape == (77, 16)
    assert list(df.columns) == [
        "name", "mfr", "type", "calories", "protein", "fat", "sodium", "fiber",
        "carbo", "sugars", "potass", "vitamins", "shelf", "weight", "cups", "rating",
    ]  # fmt: skip
    assert df.isna().sum().sum() == 4
    assert df["potass"].isna().sum() == 2
    quaker = df.set_index("name").loc["Quaker Oatmeal"]
    assert np.isnan(quaker["carbo"]) and np.isnan(quaker["sugars"])
    numeric = df.select_dtypes("number")
    assert (numeric.fillna(0) >= 0).all().all(), "no -1 codes may survive"
    assert set(df["type"]) == {"C", "H"}
    first = df.iloc[0]
    assert first["name"] == "100% Bran"
    assert (first["calories"], first["sugars"]) == (70, 6)
    assert first["rating"] == pytest.approx(68.402973)
    # CRLF line endings must not leak into the last column or the names.
    assert df["rating"].dtype == "float64"
    assert not df["name"].str.contains("\r").any()


def test_hotels():
    df = data.load_hotels()
    assert df.shape == (119390, 32)
    assert df.columns[:5].tolist() == ["hotel", "is_canceled", "lead_time", "arrival_date_year", "arrival_date_month"]
    assert df.columns[-1] == "reservation_status_date"
    assert df["hotel"].value_counts().to_dict() == {"City Hotel": 79330, "Resort Hotel": 40060}
    assert df["is_canceled"].value_counts().to_dict() == {0: 75166, 1: 44224}
    missing = df.isna().sum()
    assert missing[missing > 0].to_dict() == {"children": 4, "country": 488, "agent": 16340, "company": 112593}
    assert df["adr"].dtype == "float64" and df["lead_time"].dtype == "int64"
    assert df["agent"].dtype == "float64"
    first = df.iloc[0]
    assert (first["hotel"], first["lead_time"], first["arrival_date_month"], first["country"]) == (
        "Resort Hotel",
        342,
        "July",
        "PRT",
    )


def test_spotify():
    df = data.load_spotify()
    assert df.shape == (32833, 23)
    assert df.columns[:4].tolist() == ["track_id", "track_name", "track_artist", "track_popularity"]
    assert df.columns[-12:].tolist() == [
        "danceability", "energy", "key", "loudness", "mode", "speechiness",
        "acousticness", "instrumentalness", "liveness", "valence", "tempo", "duration_ms",
    ]  # fmt: skip
    missing = df.isna().sum()
    assert missing[missing > 0].to_dict() == {"track_name": 5, "track_artist": 5, "track_album_name": 5}
    assert df["playlist_genre"].value_counts().to_dict() == {
        "edm": 6043, "rap": 5746, "pop": 5507, "r&b": 5431, "latin": 5155, "rock": 4951,
    }  # fmt: skip
    assert df["track_popularity"].between(0, 100).all()
    first = df.iloc[0]
    assert first["track_artist"] == "Ed Sheeran"
    assert first["danceability"] == pytest.approx(0.748)
    assert first["duration_ms"] == 194754


def test_loaders_return_independent_copies():
    # Instructors rerun cells: a lesson that edits its frame must not change the next load.
    first = data.load_red_wine()
    first["quality"] = 0
    first.pop("alcohol")
    first.loc[0, "pH"] = -1.0
    first.iloc[1, 0] = -1.0
    first.fillna(0, inplace=True)
    first["sulphates"] *= 10
    again = data.load_red_wine()
    assert "alcohol" in again.columns and again["quality"].min() == 3
    assert (again[["pH", "fixed acidity"]] > 0).all().all()
    assert again["sulphates"].max() < 2.1


def test_every_registry_entry_has_a_loader_and_credits():
    loaders = {name for name in data.__all__ if name.startswith("load_")}
    assert len(loaders) == len(data.registry()) == 7
    table = data.credits()
    assert table.shape == (7, 3)
    assert table["licence"].str.len().gt(0).all()
    assert table["citation"].str.len().gt(20).all()


def test_unknown_dataset_name_lists_the_available_ones():
    with pytest.raises(data.DataError, match="red_wine"):
        data.dataset_path("red-wine")
