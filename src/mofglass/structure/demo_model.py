"""The demo's Cd(im)2 structure model: built from the isostructural ZIF-4-hPT-II template.

No Cd(im)2 CIF is public. ZIF-4-hPT-II (Zn(im)2, Pbca, Z = 8; Widmer et al. 2019) was
"adopted from the Cd(imidazolate)2 analogue (CSD code BAYQAU)": substituting Cd for Zn, scaling
the cell to the paper's Pawley volume (1565.4 Å³) and regularising by distance least squares
(:func:`mofglass.structure.build.build_model`) gives a dia-c, 2-fold model. The template's cell
and sites are bundled below (CC-BY-4.0, with attribution); the idealised net-embedding model
(:func:`mofglass.structure.idealised.imidazolate_model`) remains available.

References
----------
.. [1] R. N. Widmer et al., "Rich polymorphism of a metal-organic framework in
   pressure-temperature space", J. Am. Chem. Soc. 141 (2019) 9330 (ZIF-4-hPT-II.cif, from
   fxcoudert/citable-data, CC-BY-4.0).
"""

from __future__ import annotations

from mofglass.structure.build import BuiltModel, build_model

__all__ = ["CDIM2_PAWLEY_VOLUME_A3", "ZIF4_HPT_II_CIF", "cdim2_model"]

#: Pawley cell volume of mechanochemical Cd(im)2 (the paper), Å³.
CDIM2_PAWLEY_VOLUME_A3 = 1565.4

#: ZIF-4-hPT-II (Widmer et al. 2019, CC-BY-4.0): cell, space group and atom sites as published.
ZIF4_HPT_II_CIF = """data_ZIF-4-hPT-II
_chemical_formula_sum 'Zn N4 C6 H6'
_symmetry_cell_setting orthorhombic
_cell_length_a 13.49627
_cell_length_b 9.884103
_cell_length_c 9.164619
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
_cell_volume 1222.547
_cell_formula_units_Z 8
_cell_measurement_temperature 563
_symmetry_space_group_name_H-M Pbca
loop_
_symmetry_equiv_pos_as_xyz
'x, y, z '
'-x, y+1/2, -z+1/2 '
'-x+1/2, -y, z+1/2 '
'-x+1/2, y+1/2, z '
'x, -y+1/2, z+1/2 '
'-x, -y, -z '
'x+1/2, -y+1/2, -z '
'x+1/2, y, -z+1/2 '
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_symmetry_multiplicity
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
_atom_site_B_iso_or_equiv
_atom_site_adp_type
Zn1 Zn 8 0.11837 0.02439 0.78276 1 3 Uiso
N2 N 8 0.0659 0.2846 0.3006 1 3 Uiso
C3 C 8 -0.0003 0.2259 0.2461 1 3 Uiso
N4 N 8 -0.0162 0.1101 0.2771 1 3 Uiso
C5 C 8 0.0452 0.0945 0.362 1 3 Uiso
C6 C 8 0.0944 0.1956 0.375 1 3 Uiso
N7 N 8 0.2277 0.0481 0.6401 1 3 Uiso
C8 C 8 0.2522 -0.0098 0.5332 1 3 Uiso
N9 N 8 0.3219 0.0337 0.4703 1 3 Uiso
C10 C 8 0.3396 0.1352 0.5438 1 3 Uiso
C11 C 8 0.2835 0.142 0.644 1 3 Uiso
H31 H 8 -0.0362 0.266 0.1808 1 3 Uiso
H51 H 8 0.0559 0.0183 0.4006 1 3 Uiso
H61 H 8 0.1414 0.2068 0.4401 1 3 Uiso
H81 H 8 0.2257 -0.086 0.5106 1 3 Uiso
H101 H 8 0.3864 0.1903 0.5209 1 3 Uiso
H111 H 8 0.279 0.2078 0.7032 1 3 Uiso
"""


def cdim2_model(volume_A3: float = CDIM2_PAWLEY_VOLUME_A3) -> BuiltModel:
    """Cd(im)2 from ZIF-4-hPT-II: Zn -> Cd, cell scaled to ``volume_A3``, DLS-regularised."""
    from mofglass.structure.cif import parse_cif

    template = parse_cif(ZIF4_HPT_II_CIF, source="ZIF-4-hPT-II.cif")
    return build_model(template, substitute={"Zn": "Cd"}, volume_A3=volume_A3)
