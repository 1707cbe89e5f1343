pytest_plugins = ["tests.fixtures.redis_server", "tests.fixtures.live_server"]
