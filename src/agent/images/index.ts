// Public face of the images package: the images Tugboat builds for itself from Debian binaries
// (pause, busybox test image), the docker-archive writer behind them, and importing archives into
// a node's containerd.
export { PAUSE_IMAGE } from './pause-image.js';
export { TEST_IMAGE, TEST_IMAGE_REPO } from './busybox-image.js';
export { ensureProjectImages, type ImageFile, type ProjectImages } from './project-images.js';
export { buildImage, dockerArchive, parseDockerArchive, type BuiltImage, type ImageDefinition } from './docker-archive.js';
export { ociArchive } from './oci-archive.js';
export { importImage, importedNames, CRI_NAMESPACE, type ImportResult, type ImportTarget } from './import.js';
export { tarBuffer, readTar, type TarEntry } from './tar.js';
