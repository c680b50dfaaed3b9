"""The kind codes of the cost models, which the solver's Numba kernels compile in (see :mod:`wakhan.solve._cache`)."""

__all__ = ["KIND_ISOTROPIC", "KIND_HIGHWAY", "KIND_WALKING"]

KIND_ISOTROPIC = 0
KIND_HIGHWAY = 1
KIND_WALKING = 2
