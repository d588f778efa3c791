import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The permission matrix creates many users; PBKDF2 would dominate the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
