"""The municipality's administrations (forvaltninger) in the product's own screens: listed
for everybody with a role, kept by administrators (``committees.manage_administrations``)."""
