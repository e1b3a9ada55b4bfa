"""Forms of the committee screens, one module per concept (``committees``, ``composition``…).

Import from the modules themselves: ``from committees.forms.committees import …``.
"""
