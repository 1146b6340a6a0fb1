// Public face of the nginx data plane: the plane, and the check that tells a user what to install.
export { NginxDataPlane, nginxMissing, NGINX_BIN, type NginxPlaneOptions } from './plane.js';
