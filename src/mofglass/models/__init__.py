"""Forward models: what a calorimeter would see for a temperature programme.

- :mod:`~mofglass.models.program`: temperature programmes (heat / cool / hold segments).
- :mod:`~mofglass.models.relaxation`: glass-transition relaxation by the
  Tool-Narayanaswamy-Moynihan model (fictive temperature, heat capacity).
- :mod:`~mofglass.models.crystallisation`: non-isothermal nucleation and growth (JMAK), the
  crystallised fraction for any programme and the critical cooling rate for glass formation.
"""
