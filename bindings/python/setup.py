"""Build step of the pubnub-actions Python package.

The package is pure Python over ctypes. The only compiled part is the Rust
library at the repository root, which setuptools-rust builds in release mode
and copies into the package as ``pubnub_actions/_libpubnub_actions*.so``. The
library does not link against Python, so the wheel is tagged ``py3-none-PLATFORM``
and works with any CPython 3 on the platform it was built for.
"""

from setuptools import setup
from setuptools_rust import Binding, RustExtension

try:
    from wheel.bdist_wheel import bdist_wheel
except ImportError:  # pragma: no cover - wheel is a build requirement
    bdist_wheel = None

cmdclass = {}
if bdist_wheel is not None:

    class PlatformWheel(bdist_wheel):
        """Tags the wheel for any Python 3 on this platform."""

        def get_tag(self):
            _, _, platform = super().get_tag()
            return "py3", "none", platform

    cmdclass["bdist_wheel"] = PlatformWheel

setup(
    rust_extensions=[
        RustExtension(
            "pubnub_actions._libpubnub_actions",
            path="../../Cargo.toml",
            binding=Binding.NoBinding,
            # The C ABI's panic guard needs unwinding, which the crate's release profile keeps.
            debug=False,
        )
    ],
    cmdclass=cmdclass,
)
