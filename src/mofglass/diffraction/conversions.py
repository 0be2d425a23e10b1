"""Compatibility alias: the 2θ / d / q conversions live in :mod:`mofglass.crystallography`."""

from mofglass.crystallography.conversions import (
    d_to_q,
    d_to_two_theta,
    q_to_d,
    q_to_two_theta,
    two_theta_to_d,
    two_theta_to_q,
)

__all__ = [
    "d_to_q",
    "d_to_two_theta",
    "q_to_d",
    "q_to_two_theta",
    "two_theta_to_d",
    "two_theta_to_q",
]
