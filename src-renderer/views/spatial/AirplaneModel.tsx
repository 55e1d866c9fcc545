// A procedural airliner (no model files): nose along +z, top +y, about 36 m long.
import type { Texture } from 'three';

export interface AirplaneModelProps {
  readonly color: string;
  readonly livery: Texture | null;
  readonly selected: boolean;
}

const HALF_PI = Math.PI / 2;

export function AirplaneModel({ color, livery, selected }: AirplaneModelProps): React.JSX.Element {
  const emissive = selected ? '#2f5bff' : '#000000';
  const body = (
    <meshStandardMaterial
      color={livery ? '#ffffff' : color}
      map={livery}
      emissive={emissive}
      emissiveIntensity={0.35}
      metalness={0.2}
      roughness={0.55}
    />
  );
  const trim = (
    <meshStandardMaterial color={color} emissive={emissive} emissiveIntensity={0.35} roughness={0.6} />
  );
  return (
    <group>
      <mesh rotation={[HALF_PI, 0, 0]}>
        <cylinderGeometry args={[2, 2, 30, 20]} />
        {body}
      </mesh>
      <mesh position={[0, 0, 18]} rotation={[HALF_PI, 0, 0]}>
        <coneGeometry args={[2, 6, 20]} />
        {body}
      </mesh>
      <mesh position={[0, 0.3, -17]} rotation={[-HALF_PI, 0, 0]}>
        <coneGeometry args={[2, 4, 20]} />
        {body}
      </mesh>
      <mesh position={[0, -0.6, 2]}>
        <boxGeometry args={[32, 0.6, 5]} />
        {trim}
      </mesh>
      {[-7, 7].map((x) => (
        <mesh key={x} position={[x, -2, 3.5]} rotation={[HALF_PI, 0, 0]}>
          <cylinderGeometry args={[1, 1, 4.5, 12]} />
          <meshStandardMaterial color="#6b7280" roughness={0.4} />
        </mesh>
      ))}
      <mesh position={[0, 0.6, -15]}>
        <boxGeometry args={[12, 0.4, 3]} />
        {trim}
      </mesh>
      <mesh position={[0, 4, -15]}>
        <boxGeometry args={[0.5, 7, 3.5]} />
        {trim}
      </mesh>
      <mesh position={[0, 1.1, 14.5]}>
        <boxGeometry args={[2.6, 0.8, 2]} />
        <meshStandardMaterial color="#1f2937" roughness={0.2} />
      </mesh>
    </group>
  );
}
