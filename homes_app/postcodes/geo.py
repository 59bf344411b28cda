"""Ordnance Survey National Grid eastings/northings to WGS84 latitude/longitude, and distances.

ONS publishes postcode centroids as British National Grid references (OSGB36, Airy 1830).
The formulae are the Ordnance Survey's own ("A guide to coordinate systems in Great Britain",
annexes C and the Helmert transformation of section 6.6), accurate to a few metres: far finer
than a postcode centroid needs.
"""
from __future__ import annotations

from math import asin, atan2, cos, degrees, radians, sin, sqrt, tan

# Airy 1830 ellipsoid and the National Grid's true origin.
_A, _B = 6377563.396, 6356256.909
_F0 = 0.9996012717
_LAT0, _LON0 = radians(49.0), radians(-2.0)
_E0, _N0 = 400000.0, -100000.0
_E2 = 1 - (_B * _B) / (_A * _A)
_N = (_A - _B) / (_A + _B)

# Helmert transformation OSGB36 -> WGS84 (the OS's WGS84 -> OSGB36 parameters, negated).
_TX, _TY, _TZ = -446.448, 125.157, -542.060
_S = 20.4894e-6
_RX, _RY, _RZ = (radians(v / 3600) for v in (-0.1502, -0.2470, -0.8421))
_WGS_A, _WGS_B = 6378137.000, 6356752.3142

EARTH_RADIUS_MILES = 3958.8  # mean radius (IUGG), as the great-circle distance uses


def _meridional_arc(lat: float) -> float:
    n = _N
    d, s = lat - _LAT0, lat + _LAT0
    return _B * _F0 * (
        (1 + n + 5 / 4 * n**2 + 5 / 4 * n**3) * d
        - (3 * n + 3 * n**2 + 21 / 8 * n**3) * sin(d) * cos(s)
        + (15 / 8 * n**2 + 15 / 8 * n**3) * sin(2 * d) * cos(2 * s)
        - 35 / 24 * n**3 * sin(3 * d) * cos(3 * s))


def grid_to_osgb36(easting: float, northing: float) -> tuple[float, float]:
    """National Grid reference -> OSGB36 (latitude, longitude) in degrees."""
    lat, m = _LAT0, 0.0
    while abs(northing - _N0 - m) >= 0.00001:
        lat += (northing - _N0 - m) / (_A * _F0)
        m = _meridional_arc(lat)
    s2 = sin(lat) ** 2
    nu = _A * _F0 / sqrt(1 - _E2 * s2)
    rho = _A * _F0 * (1 - _E2) / (1 - _E2 * s2) ** 1.5
    eta2 = nu / rho - 1
    t, sec = tan(lat), 1 / cos(lat)
    vii = t / (2 * rho * nu)
    viii = t / (24 * rho * nu**3) * (5 + 3 * t**2 + eta2 - 9 * t**2 * eta2)
    ix = t / (720 * rho * nu**5) * (61 + 90 * t**2 + 45 * t**4)
    x = sec / nu
    xi = sec / (6 * nu**3) * (nu / rho + 2 * t**2)
    xii = sec / (120 * nu**5) * (5 + 28 * t**2 + 24 * t**4)
    xiia = sec / (5040 * nu**7) * (61 + 662 * t**2 + 1320 * t**4 + 720 * t**6)
    de = easting - _E0
    lat_out = lat - vii * de**2 + viii * de**4 - ix * de**6
    lon_out = _LON0 + x * de - xi * de**3 + xii * de**5 - xiia * de**7
    return degrees(lat_out), degrees(lon_out)


def osgb36_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """Shift an OSGB36 position onto WGS84 (what maps and phones show), about 100 m away."""
    phi, lam = radians(lat), radians(lon)
    nu = _A / sqrt(1 - _E2 * sin(phi) ** 2)
    x, y, z = nu * cos(phi) * cos(lam), nu * cos(phi) * sin(lam), (1 - _E2) * nu * sin(phi)
    x2 = _TX + (1 + _S) * x - _RZ * y + _RY * z
    y2 = _TY + _RZ * x + (1 + _S) * y - _RX * z
    z2 = _TZ - _RY * x + _RX * y + (1 + _S) * z
    e2 = 1 - (_WGS_B * _WGS_B) / (_WGS_A * _WGS_A)
    p = sqrt(x2 * x2 + y2 * y2)
    phi2 = atan2(z2, p * (1 - e2))
    for _ in range(10):  # converges to well under a millimetre in three or four rounds
        nu2 = _WGS_A / sqrt(1 - e2 * sin(phi2) ** 2)
        phi2 = atan2(z2 + e2 * nu2 * sin(phi2), p)
    return degrees(phi2), degrees(atan2(y2, x2))


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float]:
    return osgb36_to_wgs84(*grid_to_osgb36(easting, northing))


def great_circle_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of the Earth's mean radius."""
    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lon2 - lon1)
    h = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * asin(min(1.0, sqrt(h)))
