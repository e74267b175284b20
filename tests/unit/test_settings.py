from pathlib import Path

from storage.settings import DEFAULT_DATA_DIR, load_settings


def test_default_is_a_sqlite_file_in_the_project_data_folder(tmp_path: Path):
    settings = load_settings({}, secrets_file=tmp_path / "none.toml")
    assert settings.database_url == f"sqlite:///{DEFAULT_DATA_DIR / 'eha.sqlite3'}"


def test_secrets_file_is_read_and_the_environment_wins(tmp_path: Path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('EHA_DATABASE_URL = "postgresql+psycopg://u@h/db"\nEHA_LOCALITIES_FILE = "/x.toml"\n')
    from_file = load_settings({}, secrets_file=secrets)
    assert from_file.database_url == "postgresql+psycopg://u@h/db"
    assert from_file.localities_file == Path("/x.toml")
    from_env = load_settings({"EHA_DATABASE_URL": "sqlite:////tmp/a.db"}, secrets_file=secrets)
    assert from_env.database_url == "sqlite:////tmp/a.db"


def test_the_import_limit_defaults_to_50_mb_and_is_set_in_megabytes(tmp_path: Path):
    import pytest

    none = tmp_path / "none.toml"
    assert load_settings({}, secrets_file=none).import_limit_bytes == 50 * 1024 * 1024
    assert load_settings({"EHA_IMPORT_LIMIT_MB": "2.5"}, secrets_file=none).import_limit_bytes == 2_621_440
    with pytest.raises(ValueError, match="EHA_IMPORT_LIMIT_MB must be a number of megabytes"):
        load_settings({"EHA_IMPORT_LIMIT_MB": "lots"}, secrets_file=none)
