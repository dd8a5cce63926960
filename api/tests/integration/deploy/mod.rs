//! The deployment files (Dockerfile, render.yaml) checked against the workspace and the binary.

mod dockerfile;
mod render_blueprint;
