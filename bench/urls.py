"""The project's URLs plus the bench's floor page (only under bench.settings)."""

from django.urls import include, path

from bench import floor

urlpatterns = [
    path("bench/floor/", floor.floor, name="bench_floor"),
    path("", include("musrenbang.urls")),
]
