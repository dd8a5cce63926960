//! Statistics of one member's ratings against the catalog, the community and other members.
