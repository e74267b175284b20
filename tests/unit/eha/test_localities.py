from pathlib import Path

import pytest

from eha.localities import LocalityConfigError, load_localities


def test_oxfordshire_north_central_and_south_by_default():
    localities = load_localities()
    assert [loc.name for loc in localities] == ["North", "Central", "South"]
    assert all("@" in loc.email and loc.address for loc in localities)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "at least one"),
        ('[[locality]]\nkey = "a"\nname = "A"\n', "address, email"),
        ('[[locality]]\nkey="a"\nname="A"\naddress="x"\nemail="e"\n' * 2, "unique"),
        ("not toml [", "Cannot read"),
    ],
)
def test_a_broken_localities_file_says_what_is_wrong(tmp_path: Path, content: str, message: str):
    path = tmp_path / "loc.toml"
    path.write_text(content)
    with pytest.raises(LocalityConfigError, match=message):
        load_localities(path)
