"""Load a GeoPackage in headless PyQGIS, as a GIS user would, and report what was drawn.

Run with the system Python that has PyQGIS (Debian's python3-qgis), not the project's venv:
``QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/clients/qgis_load.py FILE.gpkg OUT.png``.
Prints one JSON object: per layer, whether it is valid, its geometry type, its feature
count, how many features have a geometry of the layer's type, whether the style stored in
``layer_styles`` was applied, and the number of non-background pixels of the rendering.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys

from qgis.core import (  # type: ignore[import-not-found]
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsRectangle,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize  # type: ignore[import-not-found]
from qgis.PyQt.QtGui import QColor  # type: ignore[import-not-found]


def main(path: str, png: str) -> None:
    app = QgsApplication([], False)
    app.initQgis()
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT table_name FROM gpkg_contents WHERE data_type = 'features'")]
    out: dict[str, object] = {"layers": {}}
    loaded = []
    for name in names:
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        msg, styled = layer.loadDefaultStyle()
        gtype = QgsWkbTypes.geometryType(layer.wkbType())
        n = layer.featureCount()
        drawable = sum(
            1
            for f in layer.getFeatures()
            if f.hasGeometry() and QgsWkbTypes.geometryType(f.geometry().wkbType()) == gtype
        )
        out["layers"][name] = {  # type: ignore[index]
            "valid": layer.isValid(),
            "geometry": QgsWkbTypes.geometryDisplayString(gtype),
            "features": n,
            "drawable": drawable,
            "styled": bool(styled),
            "style_message": msg,
            "renderer": layer.renderer().type() if layer.renderer() else None,
        }
        loaded.append(layer)
    settings = QgsMapSettings()
    settings.setLayers(loaded)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    extent = QgsRectangle()
    for layer in loaded:
        extent.combineExtentWith(layer.extent())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(800, 600))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png, "PNG")
    painted = 0
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            if image.pixelColor(x, y).name() != "#ffffff":
                painted += 1
    out["painted_pixels_sampled"] = painted
    print(json.dumps(out), flush=True)
    os._exit(0)  # QgsApplication.exitQgis() crashes headless PyQGIS 3.22 at exit


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
