"""QR codes as inline SVG (no image files, nothing for the CSP to refuse): share links, and the
authenticator secret while the second factor is set up."""

import qrcode
import qrcode.image.svg
from markupsafe import Markup


def qr_svg(text: str, label: str = "QR code of the link") -> Markup:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = image.to_string(encoding="unicode")
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{Markup.escape(label)}" class="qr" ', 1))
