pytest_plugins = [
    "tests.fixtures.asserted",
    "tests.fixtures.redis_server",
    "tests.fixtures.postgres_server",
    "tests.fixtures.live_server",
    "tests.fixtures.browser",
    "tests.fixtures.mail",
]
