"""Typed settings from the environment (prefix CONFERENCE_). Documented in docs/configuration.md."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ConfigError(Exception):
    """A setting or the event file is wrong; the message names the file, field and problem."""


class Settings(BaseSettings):
    """Every setting of a conference server. Each field is documented in docs/configuration.md."""

    model_config = SettingsConfigDict(env_prefix="CONFERENCE_", extra="ignore")

    mode: Literal["demo", "production"] = "demo"
    database_url: str = "sqlite+aiosqlite:///var/conference.db"
    redis_url: str | None = None
    redis_pool_size: int = Field(default=256, ge=8)
    secret_key: SecretStr | None = None
    event_file: Path = Path("config/event.toml")
    allowed_origins: Annotated[list[str], NoDecode] = []
    public_url: str | None = None
    var_dir: Path = Path("var")
    max_payload_bytes: int = Field(default=64 * 1024, ge=1024)
    rate_limit_per_second: float = Field(default=5.0, gt=0)
    rate_limit_burst: int = Field(default=20, ge=1)
    registration_rate_per_minute: int = Field(default=20, ge=1)
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "conference@localhost"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    presenter_key: SecretStr | None = None
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    log_ip_addresses: Literal["none", "shortened"] = "none"
    deletion_interval_seconds: float = Field(default=3600.0, ge=1)
    attendance_seen_seconds: float = Field(default=30.0, ge=0.5)

    @field_validator("allowed_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip().rstrip("/") for part in value.split(",") if part.strip()]
        return value

    @field_validator("redis_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value == "" else value

    def secret(self) -> str:
        """The signing secret: required in production; in the demo generated once, kept in var/."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        if self.mode == "production":
            raise ConfigError("CONFERENCE_SECRET_KEY: required when CONFERENCE_MODE=production")
        path = self.var_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        path.write_text(value)
        path.chmod(0o600)
        return value

    def sqlite_path(self) -> Path | None:
        """The SQLite file of the database URL, or None for another database."""
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix):
            rest = self.database_url[len(prefix) :]
            return None if rest in ("", ":memory:") else Path(rest)
        return None
