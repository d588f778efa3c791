"""Settings for `benchmarks/serve.py` only: the project's own settings with one more URL,
a trivial logged-in view (benchmarks/bench_urls.py). Never used by the project itself."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
