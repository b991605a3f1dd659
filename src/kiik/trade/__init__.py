"""Legal trade: saiga meat from the cull to the shop (carcasses, meat lots, packs, the public pack
check), domestic sales of marked derivatives, argali trophies and plants collected by mass."""
